package dptrain.deploy.security;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import dptrain.deploy.cluster.NodeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/** Real nodes on 127.0.0.1 with dptrain's node settings under a test's transport, stopped together after each test. */
final class TestNodes {
  private final List<ActorSystem<Void>> systems = new ArrayList<>();

  ActorSystem<Void> start(Behavior<Void> guardian, Config transport) {
    ActorSystem<Void> system = ActorSystem.create(guardian, NodeConfig.SYSTEM_NAME,
        transport.withFallback(NodeConfig.of(List.of("worker"), "127.0.0.1", 0, false)));
    systems.add(system);
    return system;
  }

  ActorSystem<Void> first() {
    return systems.get(0);
  }

  void stopAll() {
    systems.forEach(ActorSystem::terminate);
    systems.forEach(s -> s.getWhenTerminated().toCompletableFuture().join());
    systems.clear();
  }

  static long members(ActorSystem<Void> system) {
    return StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }

  static void awaitMembers(ActorTestKit kit, ActorSystem<Void> system, long count) {
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(50), () -> {
      assertThat(members(system)).isEqualTo(count);
      return null;
    });
  }
}
