package dptrain.coordinator.checkpoint;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import dptrain.protocol.tensor.TensorChunk;
import dptrain.protocol.wire.DType;
import dptrain.protocol.wire.PieceCounters;
import dptrain.protocol.wire.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * One checkpoint on disk: an 8-byte magic, the payload's length (8 bytes), the protobuf
 * payload, and its CRC32C (8 bytes). Written to a temporary file, forced to disk, renamed over
 * the final name and the directory forced, so a crash leaves either the old file or the new one,
 * never half of one. Reading checks the magic, the length and the checksum before parsing.
 */
public final class CheckpointFile {
  private static final long MAGIC = 0x445054434b505431L; // "DPTCKPT1"
  private static final int FORMAT_VERSION = 1;
  private static final int HEADER = 16;
  private static final int TRAILER = 8;

  private CheckpointFile() {}

  /** Writes {@code checkpoint} to {@code file} atomically. */
  public static void write(Path file, Checkpoint checkpoint) throws IOException {
    byte[] payload = encode(checkpoint).toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN).putLong(MAGIC).putLong(payload.length).flip();
    ByteBuffer trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue()).flip();
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (ByteBuffer part : new ByteBuffer[] {header, ByteBuffer.wrap(payload), trailer}) {
        while (part.hasRemaining()) {
          out.write(part);
        }
      }
      out.force(true);
    } catch (IOException e) {
      // A full disk fails the write part-way: the half-written temporary goes, so it holds no space the next one needs.
      Files.deleteIfExists(temporary);
      throw e;
    }
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
    forceDirectory(file.toAbsolutePath().getParent());
  }

  /** Reads and verifies a checkpoint; a damaged one is refused with the file's name and what is wrong. */
  public static Checkpoint read(Path file) throws CorruptCheckpointException, IOException {
    long size = Files.size(file);
    if (size < HEADER + TRAILER) {
      throw new CorruptCheckpointException(file, "truncated: " + size + " bytes, not even a header");
    }
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer header = readFully(in, HEADER);
      if (header.getLong() != MAGIC) {
        throw new CorruptCheckpointException(file, "not a dptrain checkpoint (wrong magic)");
      }
      long length = header.getLong();
      if (length < 0 || length != size - HEADER - TRAILER) {
        throw new CorruptCheckpointException(file, "truncated or padded: the header announces " + length
            + " payload bytes, the file holds " + (size - HEADER - TRAILER));
      }
      if (length > Integer.MAX_VALUE - 16) {
        throw new CorruptCheckpointException(file, "payload of " + length + " bytes is larger than one checkpoint can be");
      }
      ByteBuffer payload = readFully(in, (int) length);
      long stored = readFully(in, TRAILER).getLong();
      CRC32C crc = new CRC32C();
      crc.update(payload.duplicate());
      if (crc.getValue() != stored) {
        throw new CorruptCheckpointException(file, "checksum mismatch (CRC32C " + Long.toHexString(crc.getValue())
            + ", stored " + Long.toHexString(stored) + ")");
      }
      CodedInputStream input = CodedInputStream.newInstance(payload);
      input.setSizeLimit((int) length);
      try {
        return decode(file, dptrain.protocol.wire.Checkpoint.parseFrom(input));
      } catch (InvalidProtocolBufferException e) {
        throw new CorruptCheckpointException(file, "payload does not parse: " + e.getMessage());
      }
    }
  }

  private static ByteBuffer readFully(FileChannel in, int bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (in.read(buffer) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    return buffer.flip();
  }

  private static void forceDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory for syncing; the rename itself is still atomic.
    }
  }

  private static dptrain.protocol.wire.Checkpoint encode(Checkpoint c) {
    var progress = c.progress();
    var p = Progress.newBuilder()
        .setSkippedSteps(progress.skippedSteps())
        .addAllLrSchedule(Arrays.stream(progress.lrState()).boxed().toList())
        .setBestLoss(progress.bestLoss())
        .setBestStep(progress.bestStep())
        .setStrikes(progress.strikes())
        .setBestTestLoss(progress.bestTestLoss())
        .setBestTestAccuracy(progress.bestTestAccuracy())
        .setBestTrainLoss(progress.bestTrainLoss())
        .setLastValidationLoss(progress.lastValidationLoss())
        .setLastTrainLoss(progress.lastTrainLoss())
        .setEpochSamples(progress.epochSamples())
        .addAllSamplesPerEpoch(Arrays.stream(progress.samplesPerEpoch()).boxed().toList());
    if (progress.bestParameters() != null) {
      p.setBestParameters(bytes(progress.bestParameters()));
    }
    var builder = dptrain.protocol.wire.Checkpoint.newBuilder()
        .setFormatVersion(FORMAT_VERSION)
        .setJobId(c.jobId())
        .setConfig(c.config())
        .setStep(c.step())
        .setEpoch(c.epoch())
        .setStepInEpoch(c.stepInEpoch())
        .setSeed(c.seed())
        .setDtype(c.parameters().precision() == Precision.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32)
        .setParameters(bytes(c.parameters()))
        .setShards(c.shards())
        .setPieceFloats(c.pieceFloats())
        .setProgress(p);
    c.state().forEach(array -> builder.addOptimizerState(bytes(array)));
    new TreeMap<>(c.counters()).forEach((offset, values) -> builder.addCounters(PieceCounters.newBuilder()
        .setOffset(offset).addAllValues(Arrays.stream(values).boxed().toList())));
    return builder.build();
  }

  private static Checkpoint decode(Path file, dptrain.protocol.wire.Checkpoint m) throws CorruptCheckpointException {
    if (m.getFormatVersion() != FORMAT_VERSION) {
      throw new CorruptCheckpointException(file, "format version " + m.getFormatVersion() + " (this dptrain reads " + FORMAT_VERSION + ")");
    }
    Precision precision = m.getDtype() == DType.FLOAT64 ? Precision.FLOAT64 : Precision.FLOAT32;
    FlatArray parameters = vector(file, precision, m.getParameters(), -1);
    List<FlatArray> state = new ArrayList<>();
    for (ByteString array : m.getOptimizerStateList()) {
      state.add(vector(file, precision, array, parameters.length()));
    }
    Map<Long, double[]> counters = new TreeMap<>();
    m.getCountersList().forEach(pc -> counters.put(pc.getOffset(),
        pc.getValuesList().stream().mapToDouble(Double::doubleValue).toArray()));
    var p = m.getProgress();
    var progress = new Checkpoint.Progress(p.getSkippedSteps(),
        p.getLrScheduleList().stream().mapToDouble(Double::doubleValue).toArray(), p.getBestLoss(), p.getBestStep(),
        p.getStrikes(), p.getBestParameters().isEmpty() ? null : vector(file, precision, p.getBestParameters(), parameters.length()),
        p.getBestTestLoss(), p.getBestTestAccuracy(), p.getBestTrainLoss(), p.getLastValidationLoss(), p.getLastTrainLoss(),
        p.getEpochSamples(), p.getSamplesPerEpochList().stream().mapToLong(Long::longValue).toArray());
    return new Checkpoint(m.getJobId(), m.getConfig(), m.getStep(), m.getEpoch(), m.getStepInEpoch(), m.getSeed(),
        parameters, state, counters, m.getShards(), m.getPieceFloats(), progress);
  }

  private static ByteString bytes(FlatArray values) {
    return TensorChunk.of(0, values).data();
  }

  private static FlatArray vector(Path file, Precision precision, ByteString bytes, int expectedLength)
      throws CorruptCheckpointException {
    if (bytes.size() % precision.bytes() != 0 || (expectedLength >= 0 && bytes.size() / precision.bytes() != expectedLength)) {
      throw new CorruptCheckpointException(file, "a vector of " + bytes.size() + " bytes does not hold "
          + (expectedLength >= 0 ? expectedLength + " " : "whole ") + precision.cliName() + " values");
    }
    FlatArray values = FlatArray.zeros(precision, bytes.size() / precision.bytes());
    new TensorChunk(0, precision, bytes).copyInto(values, 0);
    return values;
  }
}
