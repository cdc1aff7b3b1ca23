package dptrain.coordinator.membership;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import dptrain.protocol.WorkerProtocol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Every worker the job knows and where it stands: the members that take part (in the order the
 * step loop cuts batches over them), joiners being configured or
 * waiting for the next pause, workers that left (never taken back, though a listing may still
 * name them for a while), and nodes that became unreachable.
 */
public final class WorkerRoster {
  private final List<ActorRef<WorkerProtocol.Command>> members = new ArrayList<>();
  private final Set<ActorRef<WorkerProtocol.Command>> configuring = new HashSet<>();
  private final Set<ActorRef<WorkerProtocol.Command>> joining = new LinkedHashSet<>();
  private final Set<ActorRef<WorkerProtocol.Command>> departed = new HashSet<>();
  private final Set<Address> lostNodes = new HashSet<>();
  private final Function<ActorRef<?>, Address> addressOf;

  /** {@code addressOf}: a ref's node (a local ref's is this node's). */
  public WorkerRoster(Function<ActorRef<?>, Address> addressOf) {
    this.addressOf = addressOf;
  }

  /** The members taking part, in order. */
  public List<ActorRef<WorkerProtocol.Command>> members() {
    return List.copyOf(members);
  }

  /** The job starts (or starts again after a roll-back) with these, in this order. */
  public void choose(List<ActorRef<WorkerProtocol.Command>> chosen) {
    List<ActorRef<WorkerProtocol.Command>> copy = List.copyOf(chosen);
    members.clear();
    members.addAll(copy);
  }

  /** Listed workers the job has never seen, on nodes still reachable: from now on they are being configured. */
  public List<ActorRef<WorkerProtocol.Command>> newcomers(Collection<ActorRef<WorkerProtocol.Command>> listed) {
    List<ActorRef<WorkerProtocol.Command>> fresh = new ArrayList<>();
    for (var worker : listed) {
      if (!members.contains(worker) && !departed.contains(worker) && !joining.contains(worker)
          && !lostNodes.contains(addressOf.apply(worker)) && configuring.add(worker)) {
        fresh.add(worker);
      }
    }
    return fresh;
  }

  /** The joiners sent a Configure that have not answered it yet. */
  public List<ActorRef<WorkerProtocol.Command>> beingConfigured() {
    return List.copyOf(configuring);
  }

  public boolean isBeingConfigured(ActorRef<WorkerProtocol.Command> worker) {
    return configuring.contains(worker);
  }

  /** A joiner is configured: it waits for the next pause. False when it was not being configured. */
  public boolean joinerConfigured(ActorRef<WorkerProtocol.Command> worker) {
    if (!configuring.remove(worker)) {
      return false;
    }
    joining.add(worker);
    return true;
  }

  /** A joiner that cannot take part (it sees other data): never asked again. */
  public void refuse(ActorRef<WorkerProtocol.Command> worker) {
    configuring.remove(worker);
    joining.remove(worker);
    departed.add(worker);
  }

  /** At a pause (or a roll-back): the configured joiners become members; returns them. */
  public List<ActorRef<WorkerProtocol.Command>> admitJoiners() {
    List<ActorRef<WorkerProtocol.Command>> admitted = List.copyOf(joining);
    members.addAll(admitted);
    joining.clear();
    return admitted;
  }

  /** A member left or its node became unreachable; false when it was not a member. */
  public boolean remove(ActorRef<WorkerProtocol.Command> worker) {
    if (!members.remove(worker)) {
      return false;
    }
    departed.add(worker);
    return true;
  }

  /** Members that are not in this listing any more. */
  public List<ActorRef<WorkerProtocol.Command>> missingFrom(Collection<ActorRef<WorkerProtocol.Command>> listed) {
    return members.stream().filter(w -> !listed.contains(w)).toList();
  }

  /** A node stopped answering: its workers are never taken on again (its members are removed one by one). */
  public void nodeLost(Address node) {
    lostNodes.add(node);
  }

  /** The members on this node. */
  public List<ActorRef<WorkerProtocol.Command>> membersOn(Address node) {
    return members.stream().filter(w -> addressOf.apply(w).equals(node)).toList();
  }

  public Set<Address> lostNodes() {
    return Set.copyOf(lostNodes);
  }

  public int departedCount() {
    return departed.size();
  }
}
