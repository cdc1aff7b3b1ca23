package dptrain.worker.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (LeCun's MNIST format, as Fashion-MNIST ships them), gzip-compressed or plain:
 * unsigned-byte tensors whose first dimension is the row. Images become features scaled to
 * [0, 1]; a 1-D tensor becomes class labels.
 */
public final class IdxReader {
  private static final int UNSIGNED_BYTE = 0x08;

  private IdxReader() {}

  /** Reads {@code <prefix>-images-idx3-ubyte[.gz]} and {@code <prefix>-labels-idx1-ubyte[.gz]} from a folder. */
  public static Dataset readPair(Path dir, String prefix) {
    List<Path> files = pairFiles(dir, prefix);
    Path images = files.get(0);
    Path labels = files.get(1);
    Tensor x = read(images);
    Tensor y = read(labels);
    if (y.dims.length != 1) {
      throw new DataException(labels + " should be 1-D labels, has " + y.dims.length + " dimensions");
    }
    if (x.dims[0] != y.dims[0]) {
      throw new DataException(images + " has " + x.dims[0] + " rows but " + labels + " has " + y.dims[0]);
    }
    int rows = x.dims[0];
    if (rows == 0 || x.bytes.length == 0) {
      throw new DataException(images + " declares " + rows + " rows of " + (rows == 0 ? 0 : x.bytes.length / rows)
          + " values: no data to train on");
    }
    int width = x.bytes.length / rows;
    float[] features = new float[x.bytes.length];
    for (int i = 0; i < features.length; i++) {
      features[i] = (x.bytes[i] & 0xFF) / 255f;
    }
    int[] classes = new int[rows];
    for (int i = 0; i < rows; i++) {
      classes[i] = y.bytes[i] & 0xFF;
    }
    return Dataset.labelled(features, width, classes);
  }

  /** The images and labels files {@link #readPair} reads. */
  public static List<Path> pairFiles(Path dir, String prefix) {
    return List.of(find(dir, prefix + "-images-idx3-ubyte"), find(dir, prefix + "-labels-idx1-ubyte"));
  }

  /** The path of {@code name.gz} or {@code name} in {@code dir}, whichever exists. */
  static Path find(Path dir, String name) {
    for (Path candidate : new Path[] {dir.resolve(name + ".gz"), dir.resolve(name)}) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new DataException("no " + name + "[.gz] in " + dir);
  }

  private record Tensor(int[] dims, byte[] bytes) {}

  private static Tensor read(Path file) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      try (DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw)) {
        int magic = in.readInt();
        int type = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank < 1 || rank > 4) {
          throw new DataException(file + " is not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int[] dims = new int[rank];
        long size = 1;
        for (int d = 0; d < rank; d++) {
          dims[d] = in.readInt();
          size *= dims[d];
          if (dims[d] < 0 || size > Integer.MAX_VALUE - 16) {
            throw new DataException(file + " declares an impossible shape");
          }
        }
        if (!gzip && size != Files.size(file) - 4L - 4L * rank) {
          throw new DataException(file + " declares " + size + " values but holds " + (Files.size(file) - 4 - 4 * rank));
        }
        byte[] bytes = in.readNBytes((int) size);
        if (bytes.length != size) {
          throw new DataException(file + " is truncated: " + bytes.length + " of " + size + " values");
        }
        return new Tensor(dims, bytes);
      }
    } catch (IOException e) {
      throw new DataException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
