package dptrain.worker;

import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.tensor.BalancedSplit;
import dptrain.protocol.tensor.PairwiseReduction;
import dptrain.worker.data.Dataset;
import dptrain.worker.model.DropoutMasks;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.ParameterViews;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The compute lanes of a worker node: the parts of a micro-batch (its canonical reduction
 * groups, or its rows cut into one part per lane) computed side by side on the node's threads,
 * as several workers on one node would, but reading the node's one parameter copy and summing
 * their gradients in memory. Each lane has a model of its own (its batch buffers); each part a
 * gradient of its own, and the parts are added in {@link PairwiseReduction}'s fixed order, so
 * the bits do not depend on which lane ran which part, or when. Lane 0 is the worker actor's
 * own thread; the others come from {@code helpers}.
 */
final class ComputeLanes {
  /** The summed gradient (partial 0; valid until the next call) and the summed loss. */
  record Sum(ParameterViews gradient, double lossSum) {}

  private final List<Mlp> models = new ArrayList<>();
  private final List<ParameterViews> partials = new ArrayList<>();
  private final ExecutorService helpers;

  ComputeLanes(int lanes, Supplier<Mlp> model, ExecutorService helpers) {
    if (lanes < 1 || (lanes > 1 && helpers == null)) {
      throw new IllegalArgumentException(lanes + " compute lanes" + (helpers == null ? " without helper threads" : ""));
    }
    for (int lane = 0; lane < lanes; lane++) {
      models.add(model.get());
    }
    this.helpers = helpers;
  }

  int lanes() {
    return models.size();
  }

  /** The model lane 0 computes with (the worker's own, for evaluations and the like). */
  Mlp first() {
    return models.get(0);
  }

  /** Each part's gradient alone, lane by lane, then their fixed pairwise sum; an empty part adds zero. */
  Sum compute(ParameterViews params, Dataset train, int[][] parts, DropoutMasks masks) {
    while (partials.size() < parts.length) {
      partials.add(first().allocate());
    }
    int lanes = Math.min(models.size(), parts.length);
    double[] losses = new double[parts.length];
    List<Future<?>> others = new ArrayList<>();
    for (int lane = 1; lane < lanes; lane++) {
      int mine = lane;
      others.add(helpers.submit(() -> computeLane(mine, lanes, params, train, parts, masks, losses)));
    }
    computeLane(0, lanes, params, train, parts, masks, losses);
    others.forEach(ComputeLanes::await);
    double lossSum = 0;
    for (double loss : losses) {
      lossSum += loss;
    }
    for (PairwiseReduction.Pair pair : PairwiseReduction.order(parts.length)) {
      partials.get(pair.target()).flat().addi(partials.get(pair.source()).flat());
    }
    return new Sum(partials.get(0), lossSum);
  }

  /** Lane {@code lane} takes parts lane, lane + lanes, ...; each part's loss into {@code losses}. */
  private void computeLane(int lane, int lanes, ParameterViews params, Dataset train, int[][] parts, DropoutMasks masks,
      double[] losses) {
    for (int p = lane; p < parts.length; p += lanes) {
      if (parts[p].length == 0) {
        partials.get(p).flat().assign(0);
      } else {
        losses[p] = models.get(lane).gradient(params, train, parts[p], partials.get(p), masks);
      }
    }
  }

  /**
   * The parts of {@code compute}'s micro-batch: its canonical reduction groups when it has them
   * (the same bits for any lane count), else its rows cut into one contiguous part per lane.
   */
  static int[][] partsOf(WorkerProtocol.Compute compute, int lanes) {
    int[] rows = compute.indices();
    int[] sizes = compute.groupSizes();
    if (sizes.length > 1) {
      int[][] groups = new int[sizes.length][];
      for (int g = 0, from = 0; g < sizes.length; from += sizes[g], g++) {
        groups[g] = Arrays.copyOfRange(rows, from, from + sizes[g]);
      }
      return groups;
    }
    return BalancedSplit.split(rows, Math.max(1, Math.min(lanes, rows.length)));
  }

  private static void await(Future<?> lane) {
    try {
      lane.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for a compute lane", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a compute lane failed: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
