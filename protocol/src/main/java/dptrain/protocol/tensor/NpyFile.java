package dptrain.protocol.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A flat vector as a NumPy {@code .npy} file (format 1.0 written; 1.0, 2.0 and 3.0 read), so
 * that NumPy and PyTorch can read and write dptrain's parameters. Written as little-endian
 * float32; read as float32 or float64, one-dimensional (or an (n, 1) column).
 */
public final class NpyFile {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?)([a-z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private NpyFile() {}

  /** Writes atomically: a temporary file beside the target, forced to disk, then renamed. */
  public static void writeFloat32(Path file, float[] values) throws IOException {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + values.length + ",), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + values.length * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    out.put(header.getBytes(StandardCharsets.US_ASCII));
    out.asFloatBuffer().put(values);
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temporary = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      channel.write(out.rewind());
      channel.force(true);
    }
    Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Reads a 1-D float32 or float64 array; anything else is refused with a message naming the file. */
  public static float[] readFloats(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (byte b : MAGIC) {
      if (in.remaining() == 0 || in.get() != b) {
        throw new IOException(file + " is not a NumPy .npy file (bad magic)");
      }
    }
    if (in.remaining() < 4) {
      throw new IOException(file + " is truncated (no header)");
    }
    int major = in.get();
    in.get();
    long headerLength = major == 1 ? Short.toUnsignedInt(in.getShort()) : Integer.toUnsignedLong(in.getInt());
    if (major < 1 || major > 3 || headerLength > in.remaining()) {
      throw new IOException(file + " has an unsupported or truncated .npy header");
    }
    String header = new String(bytes, in.position(), (int) headerLength, StandardCharsets.ISO_8859_1);
    in.position(in.position() + (int) headerLength);
    Matcher descr = DESCR.matcher(header);
    Matcher fortran = FORTRAN.matcher(header);
    Matcher shape = SHAPE.matcher(header);
    if (!descr.find() || !fortran.find() || !shape.find()) {
      throw new IOException(file + " has a malformed .npy header: " + header.trim());
    }
    ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    String kind = descr.group(2) + descr.group(3);
    long count = vectorLength(file, shape.group(1));
    int width = switch (kind) {
      case "f4" -> 4;
      case "f8" -> 8;
      default -> throw new IOException(file + " holds dtype " + kind + "; only float32 (f4) and float64 (f8) are read");
    };
    if (count * width != in.remaining()) {
      throw new IOException(file + " should hold " + count + " values (" + count * width + " bytes) but has " + in.remaining() + " bytes");
    }
    float[] values = new float[(int) count];
    ByteBuffer data = in.slice().order(order);
    if (width == 4) {
      data.asFloatBuffer().get(values);
    } else {
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) data.getDouble(i * 8);
      }
    }
    return values;
  }

  private static long vectorLength(Path file, String shape) throws IOException {
    String[] dims = shape.replace(" ", "").split(",");
    if (dims.length == 1 || (dims.length == 2 && (dims[1].isEmpty() || dims[1].equals("1")))) {
      try {
        long n = Long.parseLong(dims[0]);
        if (n >= 0 && n <= Integer.MAX_VALUE) {
          return n;
        }
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    throw new IOException(file + " has shape (" + shape + "); a flat 1-D vector is expected");
  }
}
