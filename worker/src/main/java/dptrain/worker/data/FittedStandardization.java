package dptrain.worker.data;

import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.NpyFile;
import dptrain.protocol.tensor.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A standardisation as fitted on a training set: x' = (x - shift) / scale per feature
 * ({@code zscore}, {@code minmax}), or x' = (x - shift) W ({@code zca}, W the width x width
 * whitening matrix). Saved beside the parameters as {@code standardization-shift.npy} and
 * {@code standardization-scale.npy} or {@code standardization-whitening.npy} (float64), so that
 * evaluation and prediction later apply exactly the transform the model was trained with.
 */
public record FittedStandardization(String kind, double[] shift, double[] scale, double[] whitening) {

  public int width() {
    return shift.length;
  }

  /** The features of rows of {@link #width()} values, transformed. */
  public float[] apply(float[] features) {
    int w = width();
    float[] out = new float[features.length];
    if (whitening == null) {
      for (int i = 0; i < features.length; i++) {
        int j = i % w;
        out[i] = (float) ((features[i] - shift[j]) / scale[j]);
      }
      return out;
    }
    return whiten(Standardizer.toDoubles(features)).castTo(DataType.FLOAT).data().asFloat();
  }

  /** As {@link #apply(float[])}, in double throughout, for a data set's exact values. */
  public double[] apply(double[] features) {
    int w = width();
    if (whitening == null) {
      double[] out = new double[features.length];
      for (int i = 0; i < features.length; i++) {
        int j = i % w;
        out[i] = (features[i] - shift[j]) / scale[j];
      }
      return out;
    }
    return whiten(features).data().asDouble();
  }

  /** One gemm in double: (x - shift) W. */
  private INDArray whiten(double[] features) {
    int w = width();
    INDArray centred = Nd4j.create(features, new long[] {features.length / w, w}, DataType.DOUBLE)
        .subiRowVector(Nd4j.create(shift, new long[] {1, w}, DataType.DOUBLE));
    return centred.mmul(Nd4j.create(whitening, new long[] {w, w}, DataType.DOUBLE));
  }

  public Dataset apply(Dataset data) {
    double[] exact = data.exactFeatures();
    return data.withFeatures(apply(data.features()), exact == null ? null : apply(exact));
  }

  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    NpyFile.write(dir.resolve("standardization-shift.npy"), FlatArray.of(Precision.FLOAT64, shift));
    if (whitening == null) {
      NpyFile.write(dir.resolve("standardization-scale.npy"), FlatArray.of(Precision.FLOAT64, scale));
    } else {
      NpyFile.write(dir.resolve("standardization-whitening.npy"), FlatArray.of(Precision.FLOAT64, whitening));
    }
  }

  /** The {@code kind} standardisation saved in {@code dir}. */
  public static FittedStandardization read(Path dir, String kind) throws IOException {
    double[] shift = NpyFile.read(dir.resolve("standardization-shift.npy")).toDoubles();
    if (kind.startsWith("zca")) {
      double[] whitening = NpyFile.read(dir.resolve("standardization-whitening.npy")).toDoubles();
      if (whitening.length != shift.length * shift.length) {
        throw new IOException("standardization-whitening.npy holds " + whitening.length + " values for " + shift.length + " features");
      }
      return new FittedStandardization(kind, shift, null, whitening);
    }
    double[] scale = NpyFile.read(dir.resolve("standardization-scale.npy")).toDoubles();
    if (scale.length != shift.length) {
      throw new IOException("standardization-scale.npy holds " + scale.length + " values for " + shift.length + " features");
    }
    return new FittedStandardization(kind, shift, scale, null);
  }
}
