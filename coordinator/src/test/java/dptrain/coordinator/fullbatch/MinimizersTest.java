package dptrain.coordinator.fullbatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The full-batch methods on functions whose minimum is known. */
class MinimizersTest {
  /** Rosenbrock's banana, minimum 0 at (1, 1). */
  private static final Objective ROSENBROCK = x -> {
    double a = 1 - x[0];
    double b = x[1] - x[0] * x[0];
    return new Objective.Evaluation(a * a + 100 * b * b, new double[] {-2 * a - 400 * x[0] * b, 200 * b});
  };

  /** An ill-conditioned quadratic 0.5 x'Ax - b'x in 3 dimensions, minimum A^-1 b = (1, -2, 0.5). */
  private static final double[] DIAGONAL = {1, 10, 100};
  private static final Objective QUADRATIC = x -> {
    double[] target = {1, -2, 0.5};
    double loss = 0;
    double[] g = new double[3];
    for (int i = 0; i < 3; i++) {
      loss += 0.5 * DIAGONAL[i] * (x[i] - target[i]) * (x[i] - target[i]);
      g[i] = DIAGONAL[i] * (x[i] - target[i]);
    }
    return new Objective.Evaluation(loss, g);
  };

  @Test
  void lbfgsFindsTheMinimumOfRosenbrocksFunction() {
    List<Minimizer.Iteration> iterations = new ArrayList<>();
    double[] x = new Lbfgs(1, 10, 200, 1e-10, 1e-14).minimize(ROSENBROCK, new double[] {-1.2, 1}, iterations::add);

    assertThat(x[0]).isCloseTo(1, Offset.offset(1e-5));
    assertThat(x[1]).isCloseTo(1, Offset.offset(1e-5));
    assertThat(iterations).isNotEmpty();
    for (int i = 1; i < iterations.size(); i++) {
      assertThat(iterations.get(i).loss()).as("strong Wolfe steps decrease the loss").isLessThanOrEqualTo(iterations.get(i - 1).loss());
    }
  }

  @Test
  void conjugateGradientFindsTheMinimumOfRosenbrocksFunction() {
    double[] x = new ConjugateGradient(1, 500, 1e-10, 1e-14).minimize(ROSENBROCK, new double[] {-1.2, 1}, it -> { });

    assertThat(x[0]).isCloseTo(1, Offset.offset(1e-4));
    assertThat(x[1]).isCloseTo(1, Offset.offset(1e-4));
  }

  @Test
  void conjugateGradientSolvesAQuadraticInAboutAsManyIterationsAsDimensions() {
    List<Minimizer.Iteration> iterations = new ArrayList<>();
    double[] x = new ConjugateGradient(1, 50, 1e-9, 1e-16).minimize(QUADRATIC, new double[] {0, 0, 0}, iterations::add);

    assertThat(x).containsExactly(new double[] {1, -2, 0.5}, Offset.offset(1e-6));
    assertThat(iterations.size()).isLessThanOrEqualTo(12);
  }

  @Test
  void theCubicInterpolantOfAQuadraticFindsItsMinimum() {
    // f(t) = (t - 2)^2: f(0) = 4, f'(0) = -4, f(3) = 1, f'(3) = 2
    assertThat(StrongWolfe.cubicMinimum(0, 4, -4, 3, 1, 2, 0, 3)).isCloseTo(2, Offset.offset(1e-12));
  }

  /** Rosenbrock's function with its exact Hessian-vector products (indefinite away from the valley). */
  private static final Objective ROSENBROCK_WITH_CURVATURE = new Objective() {
    @Override
    public Evaluation evaluate(double[] x) {
      return ROSENBROCK.evaluate(x);
    }

    @Override
    public double[] hessianTimes(double[] x, double[] v) {
      double hxx = 2 - 400 * (x[1] - x[0] * x[0]) + 800 * x[0] * x[0];
      double hxy = -400 * x[0];
      return new double[] {hxx * v[0] + hxy * v[1], hxy * v[0] + 200 * v[1]};
    }
  };

  private static final Objective QUADRATIC_WITH_CURVATURE = new Objective() {
    @Override
    public Evaluation evaluate(double[] x) {
      return QUADRATIC.evaluate(x);
    }

    @Override
    public double[] hessianTimes(double[] x, double[] v) {
      return new double[] {DIAGONAL[0] * v[0], DIAGONAL[1] * v[1], DIAGONAL[2] * v[2]};
    }
  };

  @Test
  void newtonSolvesAQuadraticInOneStepWhenItsDampingIsSmall() {
    List<Minimizer.Iteration> iterations = new ArrayList<>();
    double[] x = new Newton(1e-12, 10, 1e-10, 1, 0, 0).minimize(QUADRATIC_WITH_CURVATURE, new double[] {0, 0, 0},
        iterations::add);

    assertThat(x).containsExactly(new double[] {1, -2, 0.5}, Offset.offset(1e-9));
    assertThat(iterations).singleElement().satisfies(it -> assertThat(it.evaluations()).as("1 + 3 products + 1").isEqualTo(5));
  }

  @Test
  void newtonNeverGoesUphillOnRosenbrocksFunctionAndFindsItsMinimum() {
    List<Minimizer.Iteration> iterations = new ArrayList<>();
    // From (0, 1) the Hessian there is indefinite (2 - 400 * 1 < 0 on the diagonal): CG must notice, and the damping grow.
    double[] x = new Newton(1e-4, 10, 1e-12, 200, 1e-10, 1e-16).minimize(ROSENBROCK_WITH_CURVATURE, new double[] {0, 1},
        iterations::add);

    assertThat(x[0]).isCloseTo(1, Offset.offset(1e-6));
    assertThat(x[1]).isCloseTo(1, Offset.offset(1e-6));
    double previous = ROSENBROCK.evaluate(new double[] {0, 1}).loss();
    for (var it : iterations) {
      assertThat(it.loss()).as("iteration %d", it.index()).isLessThanOrEqualTo(previous);
      previous = it.loss();
    }
  }

  @Test
  void newtonWithTheExactHessianTakesTheSameStepsAsWithCgAndFindsRosenbrocksMinimum() {
    List<Minimizer.Iteration> iterations = new ArrayList<>();
    double[] x = new Newton(1e-4, 10, 1e-12, 200, 1e-10, 1e-16, true).minimize(ROSENBROCK_WITH_CURVATURE,
        new double[] {0, 1}, iterations::add);
    double[] quadratic = new Newton(1e-12, 10, 1e-10, 1, 0, 0, true).minimize(QUADRATIC_WITH_CURVATURE,
        new double[] {0, 0, 0}, it -> { });

    assertThat(x).containsExactly(new double[] {1, 1}, Offset.offset(1e-6));
    assertThat(quadratic).containsExactly(new double[] {1, -2, 0.5}, Offset.offset(1e-9));
    for (int i = 1; i < iterations.size(); i++) {
      assertThat(iterations.get(i).loss()).isLessThanOrEqualTo(iterations.get(i - 1).loss());
    }
  }

  @Test
  void newtonRefusesANonPositiveDamping() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Newton(0, 10, 1e-10, 5, 1e-7, 1e-9))
        .hasMessageContaining("damping > 0");
  }
}
