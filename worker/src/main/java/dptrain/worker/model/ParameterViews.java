package dptrain.worker.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-layer weight [in, out] and bias [1, out] views into one flat float32 or float64 vector
 * (parameters or a gradient), sharing its memory: writing the flat vector changes the views and back.
 * For a model pair these are the first network's views; {@link #copy} gives the second's.
 */
public final class ParameterViews {
  private final ParameterLayout layout;
  private final INDArray flat;
  /** Where this network's values start in the flat vector: 0, or a pair's second network's offset. */
  private final long base;
  private final List<INDArray> weights = new ArrayList<>();
  private final List<INDArray> biases = new ArrayList<>();
  private final List<ParameterLayout.Dense> layers;

  public ParameterViews(ParameterLayout layout, INDArray flat) {
    this(layout, flat, 0);
  }

  /** The views of network {@code c} of a model pair (0 or 1), over the same flat vector. */
  public ParameterViews copy(int c) {
    return c == 0 ? this : new ParameterViews(layout, flat, layout.copyOffset(c));
  }

  private ParameterViews(ParameterLayout layout, INDArray flat, long base) {
    this.layout = layout;
    this.base = base;
    DataType type = flat.dataType();
    if (flat.length() != layout.size() || (type != DataType.FLOAT && type != DataType.DOUBLE) || flat.offset() != 0) {
      throw new IllegalArgumentException("need a float or double vector of " + layout.size() + " values at offset 0");
    }
    this.flat = flat;
    this.layers = layout.layers();
    for (var layer : layout.layers()) {
      // A tied layer's weight is the earlier layer's [out, in] matrix, which its passes use transposed.
      long rows = layer.tied() ? layer.out() : layer.in();
      long columns = layer.tied() ? layer.in() : layer.out();
      weights.add(Nd4j.create(flat.data(), new long[] {rows, columns}, new long[] {columns, 1},
          base + layer.weightOffset(), 'c', type));
      biases.add(Nd4j.create(flat.data(), new long[] {1, layer.out()}, new long[] {layer.out(), 1},
          base + layer.biasOffset(), 'c', type));
    }
  }

  /** A zeroed vector for this layout, with its views. */
  public static ParameterViews allocate(ParameterLayout layout, DataType type) {
    return new ParameterViews(layout, Nd4j.zeros(type, layout.size()));
  }

  public INDArray flat() {
    return flat;
  }

  public INDArray weight(int layer) {
    return weights.get(layer);
  }

  public INDArray bias(int layer) {
    return biases.get(layer);
  }

  /** Batch norm's scale gamma [1, out] of a layer that has it. */
  public INDArray gamma(int layer) {
    return row(layers.get(layer).gammaOffset(), layers.get(layer).out());
  }

  public INDArray beta(int layer) {
    return row(layers.get(layer).betaOffset(), layers.get(layer).out());
  }

  public INDArray runningMean(int layer) {
    return row(layers.get(layer).runningMeanOffset(), layers.get(layer).out());
  }

  public INDArray runningVariance(int layer) {
    return row(layers.get(layer).runningVarianceOffset(), layers.get(layer).out());
  }

  /** PReLU's slope of a layer that has one. */
  public double alpha(int layer) {
    return flat.getDouble(base + layers.get(layer).alphaOffset());
  }

  public void setAlpha(int layer, double value) {
    flat.putScalar(base + layers.get(layer).alphaOffset(), value);
  }

  private INDArray row(long offset, int length) {
    return Nd4j.create(flat.data(), new long[] {1, length}, new long[] {length, 1}, base + offset, 'c', flat.dataType());
  }
}
