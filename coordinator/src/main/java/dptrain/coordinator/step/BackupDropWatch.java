package dptrain.coordinator.step;

import java.util.Deque;
import java.util.LinkedList;
import java.util.Optional;
import java.util.Set;

/**
 * Names a straggler in backup mode, where the steps do not wait on it: a worker node whose
 * micro-batches the steps keep closing without. When one node's micro-batch was dropped in at
 * least {@value #LEAST_STEPS} of the last {@value #WINDOW} steps, the watch names it; once, and
 * again only after it was dropped in no more than half of them. With two workers and one backup,
 * one micro-batch is dropped in every step: two healthy nodes take turns (18 of 20 by chance is
 * about 1 in 2,500), a stalled node is dropped nearly every time.
 */
final class BackupDropWatch {
  static final int WINDOW = 20;
  static final int LEAST_STEPS = 18;

  private final Deque<Set<String>> recent = new LinkedList<>();
  private String named;

  /** The nodes whose micro-batches one completed step closed without; a straggler newly seen, if any. */
  Optional<StragglerWatch.Straggler> observe(Set<String> dropped) {
    recent.addLast(dropped);
    if (recent.size() > WINDOW) {
      recent.removeFirst();
    }
    if (named != null && droppedIn(named) <= WINDOW / 2) {
      // it is dropped no more than its share: caught up, so a later slow spell is news again
      named = null;
    }
    if (recent.size() < WINDOW) {
      return Optional.empty();
    }
    for (String node : dropped) {
      int in = droppedIn(node);
      if (!node.equals(named) && in >= LEAST_STEPS) {
        named = node;
        return Optional.of(StragglerWatch.Straggler.dropped(node, in, WINDOW));
      }
    }
    return Optional.empty();
  }

  private int droppedIn(String node) {
    return (int) recent.stream().filter(step -> step.contains(node)).count();
  }
}
