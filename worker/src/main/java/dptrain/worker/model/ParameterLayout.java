package dptrain.worker.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each tensor sits in the one flat parameter vector: layer by layer, the weight
 * [in, out] row-major, then the bias [out]. This order is also the order of exported {@code .npy} files.
 */
public final class ParameterLayout {
  /** One dense layer's place in the flat vector. */
  public record Dense(int in, int out, long weightOffset, long biasOffset) {
    public long weightSize() {
      return (long) in * out;
    }
  }

  private final List<Dense> layers;
  private final long size;

  public ParameterLayout(List<Integer> widths) {
    if (widths.size() < 2) {
      throw new IllegalArgumentException("a model needs at least an input and an output width");
    }
    List<Dense> built = new ArrayList<>();
    long offset = 0;
    for (int l = 0; l + 1 < widths.size(); l++) {
      int in = widths.get(l);
      int out = widths.get(l + 1);
      built.add(new Dense(in, out, offset, offset + (long) in * out));
      offset += (long) in * out + out;
    }
    if (offset > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("model has " + offset + " parameters; at most " + Integer.MAX_VALUE + " fit one vector");
    }
    this.layers = List.copyOf(built);
    this.size = offset;
  }

  public List<Dense> layers() {
    return layers;
  }

  /** The number of parameters. */
  public long size() {
    return size;
  }
}
