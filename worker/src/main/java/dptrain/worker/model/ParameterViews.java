package dptrain.worker.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-layer weight [in, out] and bias [1, out] views into one flat float32 or float64 vector
 * (parameters or a gradient), sharing its memory: writing the flat vector changes the views and back.
 */
public final class ParameterViews {
  private final INDArray flat;
  private final List<INDArray> weights = new ArrayList<>();
  private final List<INDArray> biases = new ArrayList<>();

  public ParameterViews(ParameterLayout layout, INDArray flat) {
    DataType type = flat.dataType();
    if (flat.length() != layout.size() || (type != DataType.FLOAT && type != DataType.DOUBLE) || flat.offset() != 0) {
      throw new IllegalArgumentException("need a float or double vector of " + layout.size() + " values at offset 0");
    }
    this.flat = flat;
    for (var layer : layout.layers()) {
      weights.add(Nd4j.create(flat.data(), new long[] {layer.in(), layer.out()}, new long[] {layer.out(), 1},
          layer.weightOffset(), 'c', type));
      biases.add(Nd4j.create(flat.data(), new long[] {1, layer.out()}, new long[] {layer.out(), 1},
          layer.biasOffset(), 'c', type));
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
}
