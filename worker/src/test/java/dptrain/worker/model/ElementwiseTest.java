package dptrain.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The Java passes give the bits of the ND4J ops they replace, on views into a flat vector too. */
class ElementwiseTest {
  private static final DataType[] TYPES = {DataType.FLOAT, DataType.DOUBLE};

  @Test
  void biasThenReluMatchesNd4jsRowVectorAddAndRelu() {
    for (DataType type : TYPES) {
      INDArray flat = Nd4j.rand(type, 1, 200).subi(0.5);
      INDArray bias = view(flat, 13, 1, 6);
      INDArray z = Nd4j.rand(type, 5, 6).subi(0.5);
      z.putScalar(0, 0, -bias.getDouble(0));
      INDArray expected = Transforms.relu(z.dup().addiRowVector(bias), false);

      Elementwise.addBiasAndActivate(z, bias, Activation.RELU);

      assertThat(z.ravel().toDoubleVector()).as("%s", type).containsExactly(expected.ravel().toDoubleVector());
    }
  }

  @Test
  void biasAloneMatchesNd4jsRowVectorAdd() {
    for (DataType type : TYPES) {
      INDArray bias = Nd4j.rand(type, 1, 4);
      INDArray z = Nd4j.rand(type, 3, 4);
      INDArray expected = z.dup().addiRowVector(bias);

      Elementwise.addBiasAndActivate(z, bias, null);

      assertThat(z.ravel().toDoubleVector()).as("%s", type).containsExactly(expected.ravel().toDoubleVector());
    }
  }

  @Test
  void eachDerivativeMatchesTheActivationsNd4jOps() {
    for (DataType type : TYPES) {
      for (Activation units : new Activation[] {Activation.RELU, Activation.SIGMOID, Activation.TANH, Activation.IDENTITY}) {
        INDArray h = Nd4j.rand(type, 4, 7).subi(0.3);
        units.applyInPlace(h);
        INDArray delta = Nd4j.rand(type, 4, 7).subi(0.5);
        INDArray expected = delta.dup().muli(nd4jDerivative(units, h));

        Elementwise.multiplyByDerivative(units, h, delta);

        assertThat(delta.ravel().toDoubleVector()).as("%s %s", type, units).containsExactly(expected.ravel().toDoubleVector());
      }
    }
  }

  @Test
  void onlyRowMajorRunsOfTheirOwnValuesAreTakenAsContiguous() {
    INDArray flat = Nd4j.rand(DataType.FLOAT, 1, 100);
    assertThat(Elementwise.contiguous(view(flat, 10, 3, 4))).isTrue();
    assertThat(Elementwise.contiguous(Nd4j.rand(DataType.FLOAT, 3, 4).transpose())).isFalse();
    assertThat(Elementwise.contiguous(Nd4j.rand(DataType.FLOAT, 4, 6).get(
        org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)))).isFalse();
    assertThat(Elementwise.contiguous(Nd4j.zeros(DataType.INT, 2, 2))).isFalse();
  }

  /** f'(z) from h = f(z) by ND4J's ops, as Activation computes it for arrays the Java pass does not take. */
  private static INDArray nd4jDerivative(Activation units, INDArray h) {
    if (units == Activation.RELU) {
      return Transforms.sign(h.dup(), false);
    }
    if (units == Activation.SIGMOID) {
      return h.dup().rsubi(1.0).muli(h);
    }
    if (units == Activation.TANH) {
      return h.dup().muli(h).rsubi(1.0);
    }
    return Nd4j.ones(h.dataType(), h.shape());
  }

  @Test
  void activationsTakeTheJavaPassForContiguousArraysAndNd4jsOpsForOthersWithTheSameBits() {
    for (Activation units : new Activation[] {Activation.RELU, Activation.SIGMOID, Activation.TANH}) {
      INDArray h = Nd4j.rand(DataType.FLOAT, 7, 4).subi(0.3);
      units.applyInPlace(h);
      INDArray delta = Nd4j.rand(DataType.FLOAT, 7, 4).subi(0.5);
      INDArray contiguous = delta.dup();
      // Transposed views: not row-major runs, so Activation falls back to ND4J's ops.
      INDArray transposed = delta.dup().transpose().dup('c').transpose();

      units.multiplyByDerivative(null, h, contiguous, Nd4j.create(DataType.FLOAT, 7, 4));
      units.multiplyByDerivative(null, h.dup().transpose().dup('c').transpose(), transposed, Nd4j.create(DataType.FLOAT, 7, 4));

      assertThat(Elementwise.contiguous(transposed)).isFalse();
      assertThat(contiguous.ravel().toDoubleVector()).as("%s", units).containsExactly(transposed.dup('c').ravel().toDoubleVector());
    }
  }

  private static INDArray view(INDArray flat, long offset, long rows, long columns) {
    return Nd4j.create(flat.data(), new long[] {rows, columns}, new long[] {columns, 1}, offset, 'c', flat.dataType());
  }
}
