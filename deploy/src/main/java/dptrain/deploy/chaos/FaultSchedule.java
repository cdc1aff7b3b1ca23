package dptrain.deploy.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which faults a chaos run provokes, when and to whom, drawn from a seed: the same seed gives the
 * same schedule. Each fault hits one run of its own, after a step drawn between a tenth and a half
 * of the run's steps, on workers drawn from that run's ({@link Fault#workers()}).
 */
public record FaultSchedule(List<Planned> faults) {
  /** One fault of the schedule: after step {@code atStep}, on the worker nodes at these positions (in PID order). */
  public record Planned(Fault fault, long atStep, List<Integer> victims) {}

  public FaultSchedule {
    faults = List.copyOf(faults);
  }

  public static FaultSchedule draw(long seed, List<Fault> faults, long steps) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Planned> planned = new ArrayList<>();
    for (Fault fault : faults) {
      long at = steps / 10 + random.nextLong(Math.max(1, steps / 2 - steps / 10));
      int workers = fault.workers();
      int first = random.nextInt(workers);
      List<Integer> victims = fault == Fault.KILL_TWO_WORKERS ? List.of(first, (first + 1 + random.nextInt(workers - 1)) % workers)
          : List.of(first);
      planned.add(new Planned(fault, at, victims));
    }
    return new FaultSchedule(planned);
  }
}
