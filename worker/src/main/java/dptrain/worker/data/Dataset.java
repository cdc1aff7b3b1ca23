package dptrain.worker.data;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * An immutable table of rows: {@code width} float features and {@code targetWidth} targets per
 * row. When {@code labelled}, the one target is a class index, given to the model one-hot (or
 * as is, for a single output). Immutable, so the workers of one JVM may share one instance.
 * Sources whose values are not all floats (a CSV's decimals) also keep them exactly, as doubles:
 * a float64 job reads those, a float32 job the floats, so each trains on data at its precision.
 */
public final class Dataset {
  private final float[] features;
  private final int width;
  private final float[] targets;
  private final int targetWidth;
  private final boolean labelled;
  /** The features and targets as doubles, or null when the floats hold them exactly. */
  private final double[] exactFeatures;
  private final double[] exactTargets;
  /** Each row's weight in the training loss, or null for all 1. */
  private final double[] rowWeights;
  /** A model pair's data: which of the two networks each row trains (0 or 1), or null for one network. */
  private final byte[] models;

  private Dataset(float[] features, int width, float[] targets, int targetWidth, boolean labelled) {
    this(features, width, targets, targetWidth, labelled, null, null, null, null);
  }

  private Dataset(float[] features, int width, float[] targets, int targetWidth, boolean labelled, double[] exactFeatures,
      double[] exactTargets, double[] rowWeights, byte[] models) {
    if (width <= 0 || features.length % width != 0) {
      throw new IllegalArgumentException("features do not form rows of width " + width);
    }
    if (targets.length != features.length / width * targetWidth) {
      throw new IllegalArgumentException("targets do not match the number of rows");
    }
    this.features = features;
    this.width = width;
    this.targets = targets;
    this.targetWidth = targetWidth;
    this.labelled = labelled;
    if ((exactFeatures != null && exactFeatures.length != features.length)
        || (exactTargets != null && exactTargets.length != targets.length)) {
      throw new IllegalArgumentException("the exact values do not match the floats");
    }
    this.exactFeatures = exactFeatures;
    this.exactTargets = exactTargets;
    if (rowWeights != null && rowWeights.length != features.length / width) {
      throw new IllegalArgumentException(rowWeights.length + " row weights for " + features.length / width + " rows");
    }
    this.rowWeights = rowWeights;
    if (models != null && models.length != features.length / width) {
      throw new IllegalArgumentException(models.length + " model marks for " + features.length / width + " rows");
    }
    this.models = models;
  }

  /**
   * A model pair's data: the rows of {@code first}, then those of {@code second}, each marked with
   * the network it trains; the two must have the same features and targets.
   */
  public static Dataset pair(Dataset first, Dataset second) {
    if (first.width != second.width || first.targetWidth != second.targetWidth || first.labelled != second.labelled) {
      throw new DataException("the two data sets of a pair must have the same features and targets: " + first.width + " and "
          + second.width + " features, " + (first.labelled ? "class labels" : first.targetWidth + " target(s)") + " and "
          + (second.labelled ? "class labels" : second.targetWidth + " target(s)"));
    }
    int n = first.rows() + second.rows();
    byte[] marks = new byte[n];
    java.util.Arrays.fill(marks, first.rows(), n, (byte) 1);
    boolean exact = first.exactFeatures != null || second.exactFeatures != null;
    boolean exactY = first.exactTargets != null || second.exactTargets != null;
    return new Dataset(join(first.features, second.features), first.width, join(first.targets, second.targets),
        first.targetWidth, first.labelled, exact ? join(first.exactFeaturesOrFloats(), second.exactFeaturesOrFloats()) : null,
        exactY ? join(first.exactTargetsOrFloats(), second.exactTargetsOrFloats()) : null, null, marks);
  }

  private static float[] join(float[] a, float[] b) {
    float[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static double[] join(double[] a, double[] b) {
    double[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private double[] exactFeaturesOrFloats() {
    return exactFeatures != null ? exactFeatures : floats(features);
  }

  private double[] exactTargetsOrFloats() {
    return exactTargets != null ? exactTargets : floats(targets);
  }

  private static double[] floats(float[] values) {
    double[] wide = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    return wide;
  }

  /** Whether these rows train a model pair's two networks. */
  public boolean isPair() {
    return models != null;
  }

  /** The network of a model pair that row {@code row} trains (0 without a pair). */
  public int modelOf(int row) {
    return models == null ? 0 : models[row];
  }

  /** These rows with a weight each in the training loss (boosting's sample weights). */
  public Dataset withRowWeights(double[] weights) {
    return new Dataset(features, width, targets, targetWidth, labelled, exactFeatures, exactTargets, weights.clone(), models);
  }

  public boolean hasRowWeights() {
    return rowWeights != null;
  }

  /** Row {@code row}'s weight in the training loss (1 without weights). */
  public double rowWeight(int row) {
    return rowWeights == null ? 1 : rowWeights[row];
  }

  /** These rows with their exact values too ({@code exactTargets} null: the floats hold the targets exactly). */
  Dataset withExact(double[] exactFeatures, double[] exactTargets) {
    return new Dataset(features, width, targets, targetWidth, labelled, exactFeatures, exactTargets, rowWeights, models);
  }

  /** The exact features (or null), row-major; package-private and never written. */
  double[] exactFeatures() {
    return exactFeatures;
  }

  /** The raw feature array, row-major; package-private and never written. */
  float[] features() {
    return features;
  }

  /** The same rows and targets with other features of the same shape (and their exact values, or null). */
  Dataset withFeatures(float[] replaced, double[] exactReplaced) {
    return new Dataset(replaced, width, targets, targetWidth, labelled, exactReplaced, exactTargets, rowWeights, models);
  }

  /** These rows (by index, in this order) as a data set of their own. */
  public Dataset select(int[] rows) {
    float[] x = new float[rows.length * width];
    float[] y = new float[rows.length * targetWidth];
    double[] exactX = exactFeatures == null ? null : new double[x.length];
    double[] exactY = exactTargets == null ? null : new double[y.length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(features, rows[i] * width, x, i * width, width);
      System.arraycopy(targets, rows[i] * targetWidth, y, i * targetWidth, targetWidth);
      if (exactX != null) {
        System.arraycopy(exactFeatures, rows[i] * width, exactX, i * width, width);
      }
      if (exactY != null) {
        System.arraycopy(exactTargets, rows[i] * targetWidth, exactY, i * targetWidth, targetWidth);
      }
    }
    double[] weights = rowWeights == null ? null : java.util.Arrays.stream(rows).mapToDouble(r -> rowWeights[r]).toArray();
    byte[] marks = null;
    if (models != null) {
      marks = new byte[rows.length];
      for (int i = 0; i < rows.length; i++) {
        marks[i] = models[rows[i]];
      }
    }
    return new Dataset(x, width, y, targetWidth, labelled, exactX, exactY, weights, marks);
  }

  /** These rows with their own features as targets, for an autoencoder (the features are shared, never written). */
  public Dataset reconstructingItself() {
    return new Dataset(features, width, features, width, false, exactFeatures, exactFeatures, rowWeights, models);
  }

  /** Rows with one class index each. */
  public static Dataset labelled(float[] features, int width, int[] labels) {
    float[] targets = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      targets[i] = labels[i];
    }
    return new Dataset(features, width, targets, 1, true);
  }

  /** Rows with {@code targetWidth} real-valued targets each. */
  public static Dataset regression(float[] features, int width, float[] targets, int targetWidth) {
    return new Dataset(features, width, targets, targetWidth, false);
  }

  public int rows() {
    return features.length / width;
  }

  public int width() {
    return width;
  }

  public int targetWidth() {
    return targetWidth;
  }

  public boolean isClassification() {
    return labelled;
  }

  /** The class index of a row (labelled data only). */
  public int label(int row) {
    return (int) targets[row];
  }

  /** The largest class index (labelled data only). */
  public int maxLabel() {
    int max = 0;
    for (int i = 0; i < rows(); i++) {
      max = Math.max(max, label(i));
    }
    return max;
  }

  /** Feature {@code column} of {@code row}. */
  public float input(int row, int column) {
    return features[row * width + column];
  }

  public float target(int row, int column) {
    return targets[row * targetWidth + column];
  }

  /** Target {@code column} of {@code row}; with {@code exact}, the exact value where the source had one. */
  public double targetValue(int row, int column, boolean exact) {
    int at = row * targetWidth + column;
    return exact && exactTargets != null ? exactTargets[at] : targets[at];
  }

  /** Writes the features of {@code rows}, one after the other, into {@code into}. */
  public void copyInputs(int[] rows, FloatBuffer into) {
    for (int i = 0; i < rows.length; i++) {
      into.put(i * width, features, rows[i] * width, width);
    }
  }

  /** As {@link #copyInputs(int[], FloatBuffer)}, at float64: the exact values where the source had them. */
  public void copyInputs(int[] rows, DoubleBuffer into) {
    for (int i = 0; i < rows.length; i++) {
      int from = rows[i] * width;
      if (exactFeatures != null) {
        into.put(i * width, exactFeatures, from, width);
        continue;
      }
      for (int j = 0; j < width; j++) {
        into.put(i * width + j, features[from + j]);
      }
    }
  }

  /**
   * Writes the targets of {@code rows} for a model with k outputs (one-hot for labels and
   * k > 1); with {@code exact} (a float64 model) the exact values where the source had them.
   */
  public void copyTargets(int[] rows, double[] into, int k, boolean exact) {
    double[] wide = exact ? exactTargets : null;
    if (labelled && k > 1) {
      java.util.Arrays.fill(into, 0, rows.length * k, 0);
      for (int i = 0; i < rows.length; i++) {
        into[i * k + label(rows[i])] = 1;
      }
    } else {
      for (int i = 0; i < rows.length; i++) {
        for (int j = 0; j < k; j++) {
          int at = rows[i] * targetWidth + j;
          into[i * k + j] = wide != null ? wide[at] : targets[at];
        }
      }
    }
  }

  /** Writes the class index of {@code rows} (or -1 for unlabelled data). */
  public void copyLabels(int[] rows, int[] into) {
    for (int i = 0; i < rows.length; i++) {
      into[i] = labelled ? label(rows[i]) : -1;
    }
  }
}
