package dptrain.worker.model;

import dptrain.protocol.job.LayerSpec;
import dptrain.protocol.job.ModelSpec;
import dptrain.worker.data.Dataset;

/**
 * Hessian-vector products H v of the summed training loss over some rows, exactly, by
 * Pearlmutter's R-operator (1994): one forward pass carries R{a} = d/dr a(theta + r v) at r = 0
 * beside each pre-activation a, and one backward pass carries R{delta} beside each delta; R of
 * the gradient is H v. No finite differences, in double precision, for the plain networks
 * Newton's method is run on (dense layers with element-wise activations; ce, bce, or mse on an
 * identity output). Rows are summed as gradients are, so micro-batches add up to the whole batch.
 */
public final class HessianVector {
  private final ModelSpec spec;
  private final ParameterLayout layout;
  private final Activation[] hidden;
  private final Activation output;
  private final Loss loss;

  public HessianVector(ModelSpec spec) {
    String why = unsupported(spec);
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
    this.spec = spec;
    this.layout = new ParameterLayout(spec);
    this.hidden = new Activation[spec.denseLayers() - 1];
    for (int l = 0; l < hidden.length; l++) {
      hidden[l] = Activation.fromName(spec.activationOf(l));
    }
    this.output = Activation.fromName(spec.outputActivation());
    this.loss = Loss.fromName(spec.loss());
  }

  /** Why Hessian-vector products of this network are not computed here, or null when they are. */
  public static String unsupported(ModelSpec spec) {
    for (int l = 0; l < spec.denseLayers(); l++) {
      LayerSpec layer = spec.layer(l);
      if (layer.masksInput() || layer.dropsConnections() || layer.normalizesBatch()) {
        return "Hessian-vector products need plain dense layers: no dropout, noise, DropConnect or batch norm";
      }
      if (l < spec.denseLayers() - 1) {
        String name = spec.activationOf(l);
        if (name.startsWith("prelu") || name.startsWith("maxout") || name.startsWith("rbf")
            || !Activation.fromName(name).hasSecondDerivative()) {
          return "Hessian-vector products need element-wise hidden activations with a second derivative, not " + name;
        }
      }
    }
    if (spec.layers().stream().anyMatch(l -> l.isTied())) {
      return "Hessian-vector products are for layers with weights of their own, not tied ones";
    }
    if (spec.isPair()) {
      return "Hessian-vector products are for one network, not a model pair";
    }
    if (spec.isMultitask()) {
      return "Hessian-vector products are for a model with one loss, not one with --heads";
    }
    boolean fits = switch (spec.loss()) {
      case "ce" -> spec.outputActivation().equals("softmax");
      case "bce" -> spec.outputActivation().equals("sigmoid");
      case "mse" -> spec.outputActivation().equals("identity");
      default -> false;
    };
    return fits ? null : "Hessian-vector products need --loss ce (softmax), bce (sigmoid) or mse with --output identity, not "
        + spec.loss() + " with " + spec.outputActivation() + " outputs";
  }

  /** Writes H v of the summed loss over {@code rows} at {@code theta} into {@code hv}; returns that summed loss. */
  public double product(double[] theta, double[] v, Dataset data, int[] rows, double[] hv) {
    int layers = spec.denseLayers();
    int n = rows.length;
    double[][] h = new double[layers][];
    double[][] rh = new double[layers][];
    double[][] a = new double[layers][];
    double[][] ra = new double[layers][];
    int in = spec.inputWidth();
    h[0] = new double[n * in];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < in; c++) {
        h[0][i * in + c] = data.input(rows[i], c);
      }
    }
    rh[0] = new double[n * in];
    for (int l = 0; l < layers; l++) {
      var dense = layout.layers().get(l);
      a[l] = affine(h[l], theta, dense, n);
      // R{a} = R{h} W + h V + V_b: the direction's weights and bias act on the inputs as the parameters' do.
      ra[l] = affine(h[l], v, dense, n);
      addTimes(ra[l], rh[l], theta, dense, n);
      if (l + 1 < layers) {
        h[l + 1] = new double[a[l].length];
        rh[l + 1] = new double[a[l].length];
        for (int e = 0; e < a[l].length; e++) {
          h[l + 1][e] = hidden[l].value(a[l][e]);
          rh[l + 1][e] = hidden[l].derivative(a[l][e], h[l + 1][e]) * ra[l][e];
        }
      }
    }
    int k = spec.outputWidth();
    double[] y = new double[n * k];
    data.copyTargets(rows, y, k, true);
    double[] delta = new double[n * k];
    double lossSum = loss.evaluate(a[layers - 1], y, n, k, output, delta, spec.labelSmoothing());
    double[] rDelta = logitCurvature(a[layers - 1], ra[layers - 1], n, k);
    java.util.Arrays.fill(hv, 0);
    for (int l = layers - 1; l >= 0; l--) {
      var dense = layout.layers().get(l);
      outerInto(hv, rh[l], delta, dense, n);
      outerInto(hv, h[l], rDelta, dense, n);
      for (int i = 0; i < n; i++) {
        for (int o = 0; o < dense.out(); o++) {
          hv[(int) dense.biasOffset() + o] += rDelta[i * dense.out() + o];
        }
      }
      if (l == 0) {
        break;
      }
      // Down through layer l's weights, then layer l - 1's activation.
      double[] dh = backThrough(delta, theta, dense, n);
      double[] rdh = backThrough(rDelta, theta, dense, n);
      double[] vdh = backThrough(delta, v, dense, n);
      double[] below = new double[dh.length];
      double[] rBelow = new double[dh.length];
      for (int e = 0; e < dh.length; e++) {
        double d1 = hidden[l - 1].derivative(a[l - 1][e], h[l][e]);
        double d2 = hidden[l - 1].secondDerivative(a[l - 1][e], h[l][e]);
        below[e] = dh[e] * d1;
        rBelow[e] = (rdh[e] + vdh[e]) * d1 + dh[e] * d2 * ra[l - 1][e];
      }
      delta = below;
      rDelta = rBelow;
    }
    return lossSum;
  }

  /** R{dL/dz} = (d2L/dz2) R{z}, per row: softmax-ce p * u - p (p . u), sigmoid-bce s (1 - s) u / k, mse 2 u / k. */
  private double[] logitCurvature(double[] z, double[] rz, int n, int k) {
    double[] out = new double[n * k];
    for (int i = 0; i < n; i++) {
      int row = i * k;
      switch (loss) {
        case CE -> {
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < k; j++) {
            max = Math.max(max, z[row + j]);
          }
          double sum = 0;
          double[] p = new double[k];
          for (int j = 0; j < k; j++) {
            p[j] = Math.exp(z[row + j] - max);
            sum += p[j];
          }
          double dot = 0;
          for (int j = 0; j < k; j++) {
            p[j] /= sum;
            dot += p[j] * rz[row + j];
          }
          for (int j = 0; j < k; j++) {
            out[row + j] = p[j] * (rz[row + j] - dot);
          }
        }
        case BCE -> {
          for (int j = 0; j < k; j++) {
            double s = Activation.sigmoid(z[row + j]);
            out[row + j] = s * (1 - s) * rz[row + j] / k;
          }
        }
        case MSE -> {
          for (int j = 0; j < k; j++) {
            out[row + j] = 2 * rz[row + j] / k;
          }
        }
        default -> throw new IllegalStateException("no curvature for " + loss.cliName());
      }
    }
    return out;
  }

  /** x W + b for layer {@code dense}, with W and b read from {@code values} (the parameters, or a direction). */
  private static double[] affine(double[] x, double[] values, ParameterLayout.Dense dense, int n) {
    double[] out = new double[n * dense.out()];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < dense.out(); o++) {
        out[i * dense.out() + o] = values[(int) dense.biasOffset() + o];
      }
    }
    addTimes(out, x, values, dense, n);
    return out;
  }

  /** out += x W (no bias), W of layer {@code dense} read from {@code values}. */
  private static void addTimes(double[] out, double[] x, double[] values, ParameterLayout.Dense dense, int n) {
    int w = (int) dense.weightOffset();
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < dense.in(); c++) {
        double xi = x[i * dense.in() + c];
        if (xi == 0) {
          continue;
        }
        for (int o = 0; o < dense.out(); o++) {
          out[i * dense.out() + o] += xi * values[w + c * dense.out() + o];
        }
      }
    }
  }

  /** Adds x^T d into layer {@code dense}'s weight range of {@code into}. */
  private static void outerInto(double[] into, double[] x, double[] d, ParameterLayout.Dense dense, int n) {
    int w = (int) dense.weightOffset();
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < dense.in(); c++) {
        double xi = x[i * dense.in() + c];
        for (int o = 0; o < dense.out(); o++) {
          into[w + c * dense.out() + o] += xi * d[i * dense.out() + o];
        }
      }
    }
  }

  /** d W^T: a delta at layer {@code dense}'s output taken back to its input, W read from {@code values}. */
  private static double[] backThrough(double[] d, double[] values, ParameterLayout.Dense dense, int n) {
    int w = (int) dense.weightOffset();
    double[] out = new double[n * dense.in()];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < dense.in(); c++) {
        double sum = 0;
        for (int o = 0; o < dense.out(); o++) {
          sum += d[i * dense.out() + o] * values[w + c * dense.out() + o];
        }
        out[i * dense.in() + c] = sum;
      }
    }
    return out;
  }
}
