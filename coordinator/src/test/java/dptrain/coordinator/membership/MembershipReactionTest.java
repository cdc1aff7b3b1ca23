package dptrain.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What membership changes mean during training, decided from the roster alone (no cluster needed). */
class MembershipReactionTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Address NODE_A = new Address("akka", "dptrain", "10.0.0.1", 2551);
  private static final Address NODE_B = new Address("akka", "dptrain", "10.0.0.2", 2551);

  private final ActorRef<WorkerProtocol.Command> a = KIT.<WorkerProtocol.Command>createTestProbe().ref();
  private final ActorRef<WorkerProtocol.Command> b = KIT.<WorkerProtocol.Command>createTestProbe().ref();
  private final ActorRef<WorkerProtocol.Command> joiner = KIT.<WorkerProtocol.Command>createTestProbe().ref();
  private final ActorRef<ShardProtocol.Command> shardOnB = KIT.<ShardProtocol.Command>createTestProbe().ref();
  private final Map<ActorRef<?>, Address> nodes = Map.of(a, NODE_A, b, NODE_B, joiner, NODE_B, shardOnB, NODE_B);
  private final WorkerRoster roster = new WorkerRoster(nodes::get);

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private List<MembershipReaction.Action> react(Membership.Event event, List<ShardAddress> shards) {
    return MembershipReaction.to(event, roster, shards, nodes::get);
  }

  @Test
  void aMemberMissingFromTheListingIsGoneAndANewcomerIsConfiguredOnce() {
    roster.choose(List.of(a, b));

    var actions = react(new Membership.WorkersListed(Set.of(a, joiner)), List.of());

    assertThat(actions).containsExactly(new MembershipReaction.WorkerGone(b, "left the cluster"),
        new MembershipReaction.Configure(joiner));
    assertThat(react(new Membership.WorkersListed(Set.of(a, joiner)), List.of()))
        .as("a joiner being configured is not configured again").doesNotContain(new MembershipReaction.Configure(joiner));
  }

  @Test
  void anUnreachableNodeTakesItsWorkersAndItsShardWithIt() {
    roster.choose(List.of(a, b));
    var shards = List.of(new ShardAddress(shardOnB, 0, 10));

    var actions = react(new Membership.NodeUnreachable(NODE_B), shards);

    assertThat(actions).hasSize(2);
    assertThat(actions.get(0)).isEqualTo(new MembershipReaction.WorkerGone(b, "became unreachable"));
    assertThat(actions.get(1)).isInstanceOf(MembershipReaction.ShardGone.class);
    assertThat(react(new Membership.WorkersListed(Set.of(a, b, joiner)), shards))
        .as("a worker on a lost node is never taken on").doesNotContain(new MembershipReaction.Configure(joiner));
  }

  @Test
  void aShardWhoseHostIsNoLongerListedIsGone() {
    var shards = List.of(new ShardAddress(shardOnB, 0, 10));

    assertThat(react(new Membership.ShardHostsListed(Set.of()), shards))
        .containsExactly(new MembershipReaction.ShardGone("the node of shard 0 left the cluster"));
  }

  @Test
  void joinersBecomeMembersAtAPauseAfterTheMembersInOrderAndARefusedOneNever() {
    roster.choose(List.of(a));
    react(new Membership.WorkersListed(Set.of(a, b, joiner)), List.of());
    assertThat(roster.joinerConfigured(b)).isTrue();
    roster.refuse(joiner);
    assertThat(roster.members()).as("not before the pause").containsExactly(a);

    assertThat(roster.admitJoiners()).containsExactly(b);
    assertThat(roster.members()).containsExactly(a, b);
    assertThat(roster.remove(b)).isTrue();
    assertThat(roster.departedCount()).isEqualTo(2);
    assertThat(react(new Membership.WorkersListed(Set.of(a, b, joiner)), List.of())).as("departed workers stay departed")
        .isEmpty();
  }
}
