package dptrain.deploy.dashboard;

import dptrain.deploy.report.Json;
import akka.actor.typed.ActorSystem;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The cluster as the coordinator's node sees it now: every member with its roles, its status and
 * whether the failure detector can reach it. A worker that dies shows as unreachable, then leaves
 * the list once the split-brain resolver downs it.
 */
final class ClusterView {
  private final Cluster cluster;

  ClusterView(ActorSystem<?> system) {
    this.cluster = Cluster.get(system);
  }

  /** The members as a JSON array, in address order. */
  String toJson() {
    var state = cluster.state();
    Set<Member> unreachable = StreamSupport.stream(state.getUnreachable().spliterator(), false).collect(Collectors.toSet());
    List<String> members = new ArrayList<>();
    for (Member member : state.getMembers()) {
      String roles = member.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().map(Json::string)
          .collect(Collectors.joining(","));
      members.add("{\"address\":" + Json.string(member.address().toString()) + ",\"roles\":[" + roles + "],\"status\":"
          + Json.string(member.status().toString()) + ",\"reachable\":" + !unreachable.contains(member) + ",\"self\":"
          + member.address().equals(cluster.selfMember().address()) + "}");
    }
    return "[" + String.join(",", members) + "]";
  }
}
