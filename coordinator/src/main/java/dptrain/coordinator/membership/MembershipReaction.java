package dptrain.coordinator.membership;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a change of membership during stochastic training means for the job, decided from the
 * roster and where the shards live: workers that are gone, shards that are gone (a roll-back),
 * and newcomers to configure. Pure apart from the roster's bookkeeping: newcomers are marked as
 * being configured, and an unreachable node's workers are never taken on again.
 */
public final class MembershipReaction {
  private MembershipReaction() {}

  /** One thing the Coordinator has to do, in the order given. */
  public sealed interface Action {}

  /** {@code worker} {@code how}: its share moves to the others. */
  public record WorkerGone(ActorRef<WorkerProtocol.Command> worker, String how) implements Action {}

  /** A shard's node is gone: every shard rolls back. */
  public record ShardGone(String reason) implements Action {}

  /** A worker the job has not seen joined: configure it. */
  public record Configure(ActorRef<WorkerProtocol.Command> worker) implements Action {}

  /** A member this listing no longer names, if any (k-means and full-batch runs cannot go on without it). */
  public static Optional<ActorRef<WorkerProtocol.Command>> memberGone(Membership.Event event, WorkerRoster roster) {
    return event instanceof Membership.WorkersListed listed
        ? roster.missingFrom(listed.workers()).stream().findFirst() : Optional.empty();
  }

  public static List<Action> to(Membership.Event event, WorkerRoster roster, List<ShardAddress> shards,
      Function<ActorRef<?>, Address> addressOf) {
    List<Action> actions = new ArrayList<>();
    if (event instanceof Membership.WorkersListed listed) {
      roster.missingFrom(listed.workers()).forEach(w -> actions.add(new WorkerGone(w, "left the cluster")));
      roster.newcomers(listed.workers()).forEach(w -> actions.add(new Configure(w)));
    } else if (event instanceof Membership.ShardHostsListed listed) {
      var hostNodes = listed.hosts().stream().map(addressOf).toList();
      shards.stream().filter(s -> !hostNodes.contains(addressOf.apply(s.shard()))).findFirst().ifPresent(orphan ->
          actions.add(new ShardGone("the node of shard " + shards.indexOf(orphan) + " left the cluster")));
    } else if (event instanceof Membership.NodeUnreachable unreachable) {
      var node = unreachable.node();
      roster.nodeLost(node);
      roster.membersOn(node).forEach(w -> actions.add(new WorkerGone(w, "became unreachable")));
      if (shards.stream().anyMatch(s -> addressOf.apply(s.shard()).equals(node))) {
        actions.add(new ShardGone("node " + node + ", which held a parameter-server shard, became unreachable"));
      }
    }
    return actions;
  }
}
