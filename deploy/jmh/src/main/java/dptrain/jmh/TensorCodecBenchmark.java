package dptrain.jmh;

import com.google.protobuf.CodedOutputStream;
import dptrain.protocol.tensor.Precision;
import dptrain.protocol.tensor.TensorChunk;
import dptrain.protocol.wire.DType;
import dptrain.protocol.wire.TensorRange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One gradient chunk through the wire codec, as a worker pushes it and a shard takes it: the
 * chunk's 49,152 float32 values copied out of the native gradient and written as a protobuf
 * TensorRange into a (direct, as Artery's) buffer; and parsed from such a buffer and copied into
 * the shard's staging memory. Bytes per second per core = 196,608 x operations per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TensorCodecBenchmark {
  /** One default chunk (and shard piece): the wire's max-chunk-floats, 49,152 values. */
  static final int VALUES = com.typesafe.config.ConfigFactory.load().getInt("dptrain.wire.max-chunk-floats");
  private final ByteBuffer gradient = ByteBuffer.allocateDirect(VALUES * 4).order(ByteOrder.nativeOrder());
  private final ByteBuffer frame = ByteBuffer.allocateDirect(VALUES * 4 + 64);
  private final ByteBuffer staging = ByteBuffer.allocateDirect(VALUES * 4).order(ByteOrder.nativeOrder());
  private ByteBuffer encoded;

  @Setup
  public void fill() throws IOException {
    for (int i = 0; i < VALUES; i++) {
      gradient.putFloat(i * 4, (float) Math.sin(i));
    }
    encode();
    encoded = frame.duplicate().flip();
  }

  @Benchmark
  public ByteBuffer encode() throws IOException {
    TensorChunk chunk = TensorChunk.copyOf(0, Precision.FLOAT32, gradient, 0, VALUES);
    frame.clear();
    CodedOutputStream out = CodedOutputStream.newInstance(frame);
    TensorRange.newBuilder().setDtype(DType.FLOAT32).setOffset(chunk.offset()).setData(chunk.data()).build().writeTo(out);
    out.flush();
    return frame;
  }

  @Benchmark
  public ByteBuffer decode() throws IOException {
    TensorRange range = TensorRange.parseFrom(encoded.duplicate());
    new TensorChunk(range.getOffset(), Precision.FLOAT32, range.getData()).copyInto(staging, 0);
    return staging;
  }
}
