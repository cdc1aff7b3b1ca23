package dptrain.deploy.simulate;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.Props;
import com.typesafe.config.ConfigFactory;
import dptrain.deploy.bench.MeasuredRun;
import dptrain.protocol.job.DataSpec;
import dptrain.protocol.job.ModelGrammar;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.Precision;
import dptrain.worker.Nd4jThreads;
import dptrain.worker.data.DataSource;
import dptrain.worker.data.Dataset;
import dptrain.worker.model.DropoutMasks;
import dptrain.worker.model.Mlp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Measures {@link Costs} on this machine, each part on its own: two one-worker runs of the
 * default job (128 and 64 rows a step) for the gradient, codec, apply and local hops, from the
 * step split the code path measures; two threads of gradients at once against one for what the
 * cores give together; and messages between two ActorSystems over Artery on loopback, small ones
 * for the fixed cost and 192 KiB ones (a gradient chunk) for the cost per byte. None of the
 * layouts the simulator is validated on with more than one worker is run here.
 */
final class Calibration {
  private static final int CHUNK_BYTES = 49_152 * Float.BYTES;

  private Calibration() {}

  static Costs measure(long steps) throws Exception {
    Path jobs = Files.createTempDirectory("dptrain-calibrate");
    System.out.println("calibrating: a warm-up job, then one worker at 128 and at 64 rows a step (" + steps + " steps each)");
    run(jobs.resolve("warmup"), 128, steps);
    MeasuredRun full = run(jobs.resolve("b128"), 128, steps);
    MeasuredRun half = run(jobs.resolve("b64"), 64, steps);
    long parameters = SimulateCommand.parameters(SimulationChecks.DEFAULT_MODEL);
    double perSample = (full.computeMs() - half.computeMs()) / 64;
    double fixed = Math.max(0, full.computeMs() - 128 * perSample);
    double bytes = full.gradientBytesPerStep();
    int shards = 2;
    double encodeNs = full.encodeMs() * 1e6 / bytes;
    double decodeNs = full.decodeMs() * 1e6 / (bytes / shards);
    double applyNs = full.applyMs() * 1e6 / ((double) parameters / shards) - encodeNs * Float.BYTES;
    int pieces = (int) Math.ceil(bytes / Float.BYTES / shards / 49_152) * shards;
    // The rest of a one-node step: the workers' decoding of the new parameters and one hand-off per piece each way.
    double localHop = Math.max(0, (full.otherMs() - bytes * decodeNs / 1e6) / (2.0 * pieces));
    System.out.printf("  step at 128 rows: %.2f ms (compute %.2f, encode %.2f, decode %.2f, apply %.2f, other %.2f); at 64 rows:"
        + " compute %.2f ms%n", full.stepMs(), full.computeMs(), full.encodeMs(), full.decodeMs(), full.applyMs(),
        full.otherMs(), half.computeMs());
    double capacity = coresTogether();
    double[] artery = arteryCosts();
    double relay = relayNsPerByte();
    int cores = Runtime.getRuntime().availableProcessors();
    return new Costs("calibrated " + java.time.LocalDate.now() + " on " + cores + " cores", parameters, fixed, perSample,
        Math.max(0, applyNs), encodeNs, decodeNs, localHop, artery[0], artery[1], relay, cores, Math.min(cores, capacity));
  }

  private static MeasuredRun run(Path runDir, int batch, long steps) throws Exception {
    MeasuredRun run = SimulationChecks.defaultJob(runDir, 1, 1, batch, steps);
    if (run == null) {
      throw new IllegalStateException("a calibration run failed");
    }
    return run;
  }

  /** Gradients per second of two threads at once over one thread's: what the cores deliver together. */
  private static double coresTogether() throws Exception {
    Nd4jThreads.apply(1);
    Dataset data = DataSource.load(new DataSpec("fashion-mnist", 1, 0)).train();
    var grammar = ModelGrammar.parse(SimulationChecks.DEFAULT_MODEL);
    var spec = new ModelSpec(grammar.widths(), "relu", "softmax", "ce", grammar.layers());
    // Alternated three times and the median taken: this machine's speed moves from minute to minute.
    // Each "two at once" is compared with the mean of one thread just before and just after it.
    double[] ratios = new double[3];
    double alone = gradientsPerSecond(spec, data, 1);
    for (int round = 0; round < ratios.length; round++) {
      double together = gradientsPerSecond(spec, data, 2);
      double after = gradientsPerSecond(spec, data, 1);
      ratios[round] = together / ((alone + after) / 2);
      System.out.printf("  64-row gradients: %.0f/s on two threads at once, %.0f/s on one (before and after)%n", together,
          (alone + after) / 2);
      alone = after;
    }
    java.util.Arrays.sort(ratios);
    return ratios[1];
  }

  private static double gradientsPerSecond(ModelSpec spec, Dataset data, int threads) throws Exception {
    long[] counts = new long[threads];
    CountDownLatch done = new CountDownLatch(threads);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1300);
    long measureFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
    for (int t = 0; t < threads; t++) {
      int me = t;
      Thread thread = new Thread(() -> {
        Nd4jThreads.apply(1);
        Mlp model = new Mlp(spec, Precision.FLOAT32);
        var parameters = model.allocate();
        for (int i = 0; i < parameters.flat().length(); i++) {
          parameters.flat().putScalar(i, Math.sin(i) * 0.05);
        }
        var gradient = model.allocate();
        var draw = new java.util.Random(me);
        long step = 0;
        while (System.nanoTime() < deadline) {
          int[] rows = draw.ints(64, 0, data.rows()).toArray();
          model.gradient(parameters, data, rows, gradient, new DropoutMasks(0, step++));
          if (System.nanoTime() > measureFrom) {
            counts[me]++;
          }
        }
        done.countDown();
      }, "calibrate-" + t);
      thread.start();
    }
    done.await();
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total / 1.0;
  }

  /**
   * What a relay in front of a receiver adds per byte: 64 MiB streamed over loopback through an
   * unlimited {@link dptrain.deploy.relay.LinkRelay} against straight to the receiver.
   */
  private static double relayNsPerByte() throws Exception {
    var loopback = java.net.InetAddress.getLoopbackAddress();
    try (var sink = new java.net.ServerSocket(0, 50, loopback)) {
      Thread draining = new Thread(() -> {
        while (true) {
          try (var s = sink.accept()) {
            s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
          } catch (java.io.IOException e) {
            return;
          }
        }
      }, "calibrate-sink");
      draining.setDaemon(true);
      draining.start();
      var target = new java.net.InetSocketAddress(loopback, sink.getLocalPort());
      try (var relay = new dptrain.deploy.relay.LinkRelay(new java.net.InetSocketAddress(loopback, 0), target,
          dptrain.deploy.relay.LinkShape.NONE)) {
        var through = new java.net.InetSocketAddress(loopback, relay.port());
        streamNanos(target);
        streamNanos(through);
        long direct = streamNanos(target);
        long relayed = streamNanos(through);
        double perByte = Math.max(0, (double) (relayed - direct) / RELAY_BYTES);
        System.out.printf("  64 MiB over loopback: %.0f ms straight, %.0f ms through a relay%n", direct / 1e6, relayed / 1e6);
        return perByte;
      }
    }
  }

  private static final int RELAY_BYTES = 64 << 20;

  private static long streamNanos(java.net.InetSocketAddress to) throws Exception {
    byte[] block = new byte[256 << 10];
    long start = System.nanoTime();
    try (var socket = new java.net.Socket(to.getAddress(), to.getPort())) {
      var out = socket.getOutputStream();
      for (int sent = 0; sent < RELAY_BYTES; sent += block.length) {
        out.write(block);
      }
      socket.shutdownOutput();
      socket.getInputStream().read();
    }
    return System.nanoTime() - start;
  }

  /** Replies to every message with a one-byte array. */
  static final class Acker extends AbstractActor {
    private static final byte[] ACK = {1};

    @Override
    public Receive createReceive() {
      return receiveBuilder().match(byte[].class, m -> getSender().tell(ACK, getSelf())).build();
    }
  }

  /** {fixed ms per message per side, ns per byte per side} of Artery between two ActorSystems on loopback. */
  private static double[] arteryCosts() throws Exception {
    var config = ConfigFactory.parseString("""
        akka.actor.provider = remote
        akka.remote.artery.transport = tcp
        akka.remote.artery.canonical.hostname = 127.0.0.1
        akka.remote.artery.canonical.port = 0
        akka.loglevel = WARNING
        akka.actor.serialization-bindings { "[B" = bytes }
        """).withFallback(ConfigFactory.load());
    ActorSystem a = ActorSystem.create("calibrate", config);
    ActorSystem b = ActorSystem.create("calibrate", config);
    try {
      b.actorOf(Props.create(Acker.class), "acker");
      var address = ((akka.actor.ExtendedActorSystem) b).provider().getDefaultAddress();
      ActorRef acker = a.actorSelection(address + "/user/acker").resolveOne(Duration.ofSeconds(10)).toCompletableFuture()
          .get(15, TimeUnit.SECONDS);
      byte[] small = new byte[64];
      byte[] chunk = new byte[CHUNK_BYTES];
      stream(a, acker, small, 1000, 1);
      double roundTripMs = stream(a, acker, small, 3000, 1);
      stream(a, acker, chunk, 300, 16);
      double chunkMs = stream(a, acker, chunk, 1000, 16);
      // A small message's one-way trip is mostly waking threads, not work: latency. A streamed
      // chunk's time is the busier side's work on it, the two sides running on two cores.
      double fixed = roundTripMs / 2;
      double perByte = chunkMs * 1e6 / CHUNK_BYTES;
      System.out.printf("  Artery on loopback: %.3f ms a small round trip, %.3f ms per 192 KiB message streamed (%.0f MB/s)%n",
          roundTripMs, chunkMs, CHUNK_BYTES / chunkMs / 1e3);
      return new double[] {fixed, perByte};
    } finally {
      a.terminate();
      b.terminate();
      a.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
      b.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  /** Time per message with {@code window} messages in flight (1: a round trip each), driven by an actor beside the sender. */
  private static double stream(ActorSystem system, ActorRef to, byte[] message, int count, int window) throws Exception {
    var finished = new CompletableFuture<Long>();
    system.actorOf(Props.create(Driver.class, () -> new Driver(to, message, count, window, finished)));
    return finished.get(120, TimeUnit.SECONDS) / 1e6 / count;
  }

  /** Sends {@code count} messages, {@code window} at a time, and completes with the nanoseconds it took. */
  static final class Driver extends AbstractActor {
    private final ActorRef to;
    private final byte[] message;
    private final int count;
    private final CompletableFuture<Long> finished;
    private final long start = System.nanoTime();
    private int sent;
    private int acked;

    Driver(ActorRef to, byte[] message, int count, int window, CompletableFuture<Long> finished) {
      this.to = to;
      this.message = message;
      this.count = count;
      this.finished = finished;
      for (int i = 0; i < Math.min(window, count); i++) {
        send();
      }
    }

    private void send() {
      sent++;
      to.tell(message, getSelf());
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder().match(byte[].class, ack -> {
        if (++acked == count) {
          finished.complete(System.nanoTime() - start);
          getContext().stop(getSelf());
        } else if (sent < count) {
          send();
        }
      }).build();
    }
  }
}
