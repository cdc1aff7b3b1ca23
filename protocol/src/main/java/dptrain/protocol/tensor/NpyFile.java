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
 * float32 or float64; read as either, one-dimensional (or an (n, 1) column).
 */
public final class NpyFile {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?)([a-z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private NpyFile() {}

  /** Writes atomically: a temporary file beside the target, forced to disk, then renamed. */
  public static void write(Path file, FlatArray values) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(encode(values, 0, (int) values.length(), new long[] {values.length()}));
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temporary = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      channel.write(out.rewind());
      channel.force(true);
    }
    Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The .npy bytes of {@code length} values of {@code values} from {@code offset}, as an array of
   * {@code shape} in C (row-major) order: for a file, or an entry of an .npz archive.
   */
  public static byte[] encode(FlatArray values, int offset, int length, long[] shape) {
    long elements = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (elements != length) {
      throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + elements + " values, not " + length);
    }
    String descr = values.precision() == Precision.FLOAT64 ? "<f8" : "<f4";
    String dims = shape.length == 1 ? shape[0] + "," : String.join(", ", java.util.Arrays.stream(shape).mapToObj(Long::toString).toList());
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    int headerBytes = MAGIC.length + 4 + header.length();
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(headerBytes + (long) length * values.precision().bytes()))
        .order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    out.put(header.getBytes(StandardCharsets.US_ASCII));
    values.writeTo(out.slice(), offset, length);
    return out.array();
  }

  /**
   * Reads a 1-D float32 or float64 array at its own precision; anything else is refused with a
   * message naming the file.
   */
  public static FlatArray read(Path file) throws IOException {
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
    FlatArray values = FlatArray.zeros(width == 4 ? Precision.FLOAT32 : Precision.FLOAT64, (int) count);
    ByteBuffer data = in.slice().order(order);
    for (int i = 0; i < count; i++) {
      values.set(i, width == 4 ? data.getFloat(i * 4) : data.getDouble(i * 8));
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
