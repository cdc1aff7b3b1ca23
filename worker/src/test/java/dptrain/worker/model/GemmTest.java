package dptrain.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The direct BLAS call computes what ND4J's gemm does, to the bit, on views into a flat vector too. */
class GemmTest {
  @Test
  void everyTransposeOfViewsIntoAFlatVectorGivesNd4jsBits() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray flat = Nd4j.rand(type, 1, 400);
      INDArray a = view(flat, 7, 5, 3);        // [5, 3] at 7
      INDArray b = view(flat, 40, 3, 4);       // [3, 4] at 40
      INDArray bT = view(flat, 60, 4, 3);      // [4, 3] at 60
      INDArray aT = view(flat, 80, 3, 5);      // [3, 5] at 80
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          INDArray left = ta ? aT : a;
          INDArray right = tb ? bT : b;
          INDArray expected = Nd4j.rand(type, 5, 4);
          INDArray actual = view(Nd4j.zeros(type, 1, 100), 30, 5, 4).assign(expected);
          Nd4j.gemm(left, right, expected, ta, tb, 0.5, 0.25);
          Gemm.gemm(left, right, actual, ta, tb, 0.5, 0.25);
          assertThat(actual.ravel().toDoubleVector()).as("%s ta=%s tb=%s", type, ta, tb)
              .containsExactly(expected.ravel().toDoubleVector());
        }
      }
    }
  }

  @Test
  void aProductIntoAViewLeavesTheRestOfItsVectorAlone() {
    INDArray flat = Nd4j.zeros(DataType.FLOAT, 1, 50);
    INDArray c = view(flat, 10, 2, 3);
    Gemm.gemm(Nd4j.ones(DataType.FLOAT, 2, 4), Nd4j.ones(DataType.FLOAT, 4, 3), c, false, false, 1.0, 0.0);

    double[] values = flat.toDoubleVector();
    for (int i = 0; i < values.length; i++) {
      assertThat(values[i]).as("element %d", i).isEqualTo(i >= 10 && i < 16 ? 4.0 : 0.0);
    }
  }

  private static INDArray view(INDArray flat, long offset, long rows, long columns) {
    return Nd4j.create(flat.data(), new long[] {rows, columns}, new long[] {columns, 1}, offset, 'c', flat.dataType());
  }
}
