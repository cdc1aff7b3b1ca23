package dptrain.deploy.cluster;

import akka.actor.typed.ActorSystem;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The end of a node's ActorSystem, waited for with a limit. Akka 2.6's termination can hang for
 * good once a TLS connection of the node has failed (akka/akka-core#29162, open): in the launch
 * tests a coordinator whose job had finished, its run folder written, never exited, and neither
 * did a standby the split-brain resolver had downed. A node therefore waits this long, says so,
 * and lets its process end without it; by then nothing of the job is left to save.
 */
public final class NodeTermination {
  /** Longer than a clean termination takes (under a second), shorter than anyone would wait. */
  public static final Duration LIMIT = Duration.ofSeconds(20);

  private NodeTermination() {}

  /** Terminates {@code system} and waits for its end, at most {@link #LIMIT}. */
  public static void terminate(ActorSystem<?> system) {
    system.terminate();
    await(system, LIMIT);
  }

  /** Waits at most {@code limit} for {@code system} to end; false (and a warning) when it did not. */
  public static boolean await(ActorSystem<?> system, Duration limit) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      system.log().warn("this node's actor system did not stop within {} s of being told to (a known Akka 2.6 hang after a "
          + "failed TLS connection); the process ends without it", String.format("%.1f", limit.toMillis() / 1000.0));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }
}
