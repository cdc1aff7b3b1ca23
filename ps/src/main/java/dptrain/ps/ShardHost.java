package dptrain.ps;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardHostProtocol.Command;
import dptrain.protocol.ShardHostProtocol.HostShard;
import dptrain.protocol.ShardProtocol;

/**
 * Runs on every node with the ps role and starts parameter-server shards there when the
 * Coordinator asks (Akka typed cannot spawn on another node, so each node spawns its own).
 * A shard of a new job replaces the shards of the previous one.
 */
public final class ShardHost {
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "dptrain-shard-host");

  private ShardHost() {}

  public static Behavior<Command> create() {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, context.getSelf()));
      return hosting("", 0);
    });
  }

  private static Behavior<Command> hosting(String jobId, int started) {
    return Behaviors.receive(Command.class)
        .onMessage(HostShard.class, host -> Behaviors.setup(context -> {
          if (!host.jobId().equals(jobId)) {
            context.getChildren().forEach(context::stop);
          }
          ActorRef<ShardProtocol.Command> shard = context.spawn(
              ParameterShard.create(host),
              "shard-" + host.shard() + "-" + started);
          host.replyTo().tell(new CoordinatorProtocol.ShardHosted(host.jobId(), host.shard(), shard));
          return hosting(host.jobId(), started + 1);
        }))
        .build();
  }
}
