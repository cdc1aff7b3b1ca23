package dptrain.worker.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Feature standardisation fitted on the training set and applied the same way to the
 * training and test sets ({@code --standardize}): {@code zscore} (x - mean) / std per feature
 * (a constant feature is only centred), {@code minmax} (x - min) / (max - min) into [0, 1],
 * {@code zca[:EPS]} whitening (x - mean) V diag(1 / sqrt(lambda + EPS)) V', with V and lambda
 * the training covariance's eigenvectors and eigenvalues (EPS default 1e-2). Every node fits
 * the same transform on the same training rows, so all workers see the same features.
 */
public final class Standardizer {
  public static final String ALLOWED = "none, zscore, minmax, zca[:EPS]";

  private final String kind;
  private final double eps;

  private Standardizer(String kind, double eps) {
    this.kind = kind;
    this.eps = eps;
  }

  public static Standardizer parse(String text) {
    String[] parts = text.trim().split(":", 2);
    switch (parts[0]) {
      case "none", "zscore", "minmax" -> {
        if (parts.length == 2) {
          throw new DataException("--standardize " + parts[0] + " takes no parameter (allowed: " + ALLOWED + ")");
        }
        return new Standardizer(parts[0], 0);
      }
      case "zca" -> {
        double eps = 1e-2;
        if (parts.length == 2) {
          try {
            eps = Double.parseDouble(parts[1]);
          } catch (NumberFormatException e) {
            eps = -1;
          }
          if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new DataException("--standardize zca:EPS needs EPS > 0, got '" + parts[1] + "'");
          }
        }
        return new Standardizer("zca", eps);
      }
      default -> throw new DataException("unknown --standardize '" + text + "' (allowed: " + ALLOWED + ")");
    }
  }

  /** The data with the transform fitted on its training set applied to every set, and the fitted transform. */
  public TrainTestData fitAndApply(TrainTestData data) {
    if (kind.equals("none")) {
      return data;
    }
    FittedStandardization fitted = fit(data.train());
    Dataset train = fitted.apply(data.train());
    Dataset test = data.test() == data.train() ? train : fitted.apply(data.test());
    Dataset validation = data.validation() == null ? null : fitted.apply(data.validation());
    return new TrainTestData(train, test, validation, data.description() + ", " + kind + "-standardized", fitted);
  }

  /** The transform, fitted on these rows. */
  public FittedStandardization fit(Dataset train) {
    return switch (kind) {
      case "zscore" -> perFeature(train, true);
      case "minmax" -> perFeature(train, false);
      default -> zca(train);
    };
  }

  /** z-score (centre and scale by the standard deviation) or min-max, per feature. */
  private FittedStandardization perFeature(Dataset train, boolean zscore) {
    int width = train.width();
    int rows = train.rows();
    float[] x = train.features();
    double[] shift = new double[width];
    double[] scale = new double[width];
    for (int j = 0; j < width; j++) {
      double a = zscore ? 0 : Double.POSITIVE_INFINITY;
      double b = zscore ? 0 : Double.NEGATIVE_INFINITY;
      for (int i = 0; i < rows; i++) {
        double v = x[i * width + j];
        if (zscore) {
          a += v;
          b += v * v;
        } else {
          a = Math.min(a, v);
          b = Math.max(b, v);
        }
      }
      if (zscore) {
        double mean = a / rows;
        double std = Math.sqrt(Math.max(0, b / rows - mean * mean));
        shift[j] = mean;
        scale[j] = std > 1e-12 ? std : 1;
      } else {
        shift[j] = a;
        scale[j] = b - a > 1e-12 ? b - a : 1;
      }
    }
    return new FittedStandardization(kind, shift, scale, null);
  }

  /** ZCA whitening from the training covariance, in double. */
  private FittedStandardization zca(Dataset train) {
    int width = train.width();
    int rows = train.rows();
    INDArray x = Nd4j.create(toDoubles(train.features()), new long[] {rows, width}, DataType.DOUBLE);
    INDArray mean = x.mean(0).reshape(1, width);
    INDArray centred = x.subRowVector(mean);
    INDArray covariance = centred.transpose().mmul(centred).divi(rows);
    // LAPACK's syev, on a column-major copy: afterwards its columns are the eigenvectors.
    INDArray vectors = covariance.dup('f');
    INDArray values = Nd4j.create(DataType.DOUBLE, width);
    Nd4j.getBlasWrapper().lapack().syev('V', 'U', vectors, values);
    INDArray inverseRoot = Transforms.pow(values.reshape(1, width).add(eps), -0.5, false);
    INDArray whitening = vectors.mulRowVector(inverseRoot).mmul(vectors.transpose());
    double[] matrix = whitening.dup('c').reshape(width * width).toDoubleVector();
    return new FittedStandardization("zca:" + eps, mean.toDoubleVector(), null, matrix);
  }

  static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
