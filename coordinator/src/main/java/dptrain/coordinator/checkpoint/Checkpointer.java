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
 * here, off the actors that run training; the parent hears {@link Written} or {@link NotWritten}.
 */
public final class Checkpointer {
  private Checkpointer() {}

  public sealed interface Outcome {}

  public record Written(long step, Path file) implements Outcome {}

  public record NotWritten(long step, String reason) implements Outcome {}

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
      replyTo.tell(new NotWritten(checkpoint.step(), "cannot write the checkpoint: " + e.getMessage()));
    }
    return Behaviors.stopped();
  }
}
