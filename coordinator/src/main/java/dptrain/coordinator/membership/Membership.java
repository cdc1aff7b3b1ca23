package dptrain.coordinator.membership;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import dptrain.ps.ShardHost;
import dptrain.protocol.ShardHostProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.worker.Worker;
import java.util.Set;

/**
 * Watches the cluster for the job: the workers and the shard hosts the receptionist lists, and
 * nodes that become unreachable. Unreachability is heard seconds before the split-brain resolver
 * downs a node and the receptionist drops its actors, so a lost worker's micro-batches can move
 * on at once. It tells its parent what changed; what that means for the job is the parent's call.
 */
public final class Membership {
  private Membership() {}

  /** What the parent hears. */
  public sealed interface Event {}

  /** The workers registered now. */
  public record WorkersListed(Set<ActorRef<WorkerProtocol.Command>> workers) implements Event {}

  /** The shard hosts registered now. */
  public record ShardHostsListed(Set<ActorRef<ShardHostProtocol.Command>> hosts) implements Event {}

  /** A node stopped answering the failure detector. */
  public record NodeUnreachable(Address node) implements Event {}

  /** What it hears from Akka; nothing outside may send it anything. */
  public sealed interface Heard {}

  private record Listed(Receptionist.Listing listing) implements Heard {}

  private record Reachability(ClusterEvent.ReachabilityEvent event) implements Heard {}

  public static Behavior<Heard> create(ActorRef<Event> parent) {
    return Behaviors.<Heard>setup(context -> {
      ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class, Listed::new);
      context.getSystem().receptionist().tell(Receptionist.subscribe(Worker.SERVICE_KEY, listings));
      context.getSystem().receptionist().tell(Receptionist.subscribe(ShardHost.SERVICE_KEY, listings));
      Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(
          context.messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new), ClusterEvent.ReachabilityEvent.class));
      return Behaviors.receive(Heard.class)
          .onMessage(Listed.class, listed -> tell(parent, eventOf(listed.listing())))
          .onMessage(Reachability.class, r -> r.event() instanceof ClusterEvent.UnreachableMember unreachable
              ? tell(parent, new NodeUnreachable(unreachable.member().address())) : Behaviors.same())
          .build();
    });
  }

  private static Event eventOf(Receptionist.Listing listing) {
    return listing.isForKey(Worker.SERVICE_KEY)
        ? new WorkersListed(listing.getServiceInstances(Worker.SERVICE_KEY))
        : new ShardHostsListed(listing.getServiceInstances(ShardHost.SERVICE_KEY));
  }

  private static <T> Behavior<T> tell(ActorRef<Event> parent, Event event) {
    parent.tell(event);
    return Behaviors.same();
  }
}
