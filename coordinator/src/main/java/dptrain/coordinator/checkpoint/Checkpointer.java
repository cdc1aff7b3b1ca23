package dptrain.coordinator.checkpoint;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dptrain.coordinator.round.ParameterCollection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Writes one checkpoint: collects the parameters and the optimizer state from every shard (a
 * {@link ParameterCollection} child), completes them into a checkpoint with what the parent
 * knows (the step, the run's progress) and writes it to the run folder. The file I/O happens
 * here, off the actors that run training; the parent hears {@link Written}, {@link NotSaved} (the
 * disk refused it: the run can go on with the checkpoints it has) or {@link NotWritten} (the
 * shards could not be collected).
 */
public final class Checkpointer {
  private Checkpointer() {}

  public sealed interface Outcome {}

  public record Written(long step, Path file) implements Outcome {}

  public record NotWritten(long step, String reason) implements Outcome {}

  /**
   * The file could not be written (a full disk, a folder gone read-only); the folder still holds
   * {@code kept}, the newest checkpoint before it (null: none), untouched.
   */
  public record NotSaved(long step, String reason, Path kept) implements Outcome {}

  /** The checkpoint after {@code step}: the collected vectors, completed by {@code complete}. */
  public static Behavior<ParameterCollection.Outcome> create(ParameterCollection.Request request, long step,
      Function<ParameterCollection.Collected, Checkpoint> complete, RunFolder folder, ActorRef<Outcome> replyTo) {
    return Behaviors.setup(context -> {
      context.spawn(ParameterCollection.create(request, context.getSelf()), "collection");
      return Behaviors.receive(ParameterCollection.Outcome.class)
          .onMessage(ParameterCollection.Collected.class, collected -> write(complete.apply(collected), folder, replyTo))
          .onMessage(ParameterCollection.NotCollected.class, failed -> {
            replyTo.tell(new NotWritten(step, failed.reason()));
            return Behaviors.stopped();
          })
          .build();
    });
  }

  private static Behavior<ParameterCollection.Outcome> write(Checkpoint checkpoint, RunFolder folder,
      ActorRef<Outcome> replyTo) {
    try {
      replyTo.tell(new Written(checkpoint.step(), folder.save(checkpoint)));
    } catch (IOException e) {
      replyTo.tell(new NotSaved(checkpoint.step(), String.valueOf(e.getMessage()), newestKept(folder)));
    }
    return Behaviors.stopped();
  }

  private static Path newestKept(RunFolder folder) {
    try {
      var files = folder.checkpointFiles();
      return files.isEmpty() ? null : files.get(files.size() - 1);
    } catch (IOException e) {
      return null;
    }
  }
}
