package dptrain.worker;

import dptrain.protocol.WorkerProtocol.Compute;
import dptrain.protocol.WorkerProtocol.DirectionChunk;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.PairwiseReduction;
import dptrain.protocol.tensor.Precision;
import dptrain.worker.data.Dataset;
import dptrain.worker.model.HessianVector;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.ParameterViews;
import java.util.ArrayList;
import java.util.List;

/**
 * Newton's method on a worker: the directions v by version, and the Hessian-vector products
 * asked for, each run once both the parameters and the direction of its version are here (they
 * come from the Coordinator in either order). Products for versions already passed are dropped.
 */
final class CurvatureWork {
  /** A finished product over a micro-batch: H v summed over its rows, and the summed loss there. */
  record Product(Compute compute, ParameterViews hv, double lossSum, long nanos) {}

  private final Mlp model;
  private final ParameterVersions directions;
  private final List<Compute> waiting = new ArrayList<>();
  private HessianVector products;

  CurvatureWork(Mlp model) {
    this.model = model;
    this.directions = new ParameterVersions(model.layout(), model::allocate);
  }

  void direction(DirectionChunk chunk) {
    directions.accept(chunk.version(), chunk.chunk());
  }

  void add(Compute compute) {
    waiting.add(compute);
  }

  /** The products whose parameters and direction have arrived, computed, in arrival order. */
  List<Product> runReady(ParameterVersions parameters, Dataset train) {
    List<Product> done = new ArrayList<>();
    long version = parameters.currentVersion();
    waiting.removeIf(c -> c.step() < version);
    for (var it = waiting.iterator(); it.hasNext(); ) {
      Compute compute = it.next();
      if (compute.step() != version || directions.currentVersion() != version) {
        continue;
      }
      it.remove();
      if (products == null) {
        products = new HessianVector(model.spec());
      }
      long start = System.nanoTime();
      double[] theta = parameters.current().flat().toDoubleVector();
      double[] v = directions.current().flat().toDoubleVector();
      // Each canonical reduction group alone, then summed in the gradients' fixed pairwise order: the same bits for any split.
      int[][] parts = ComputeLanes.partsOf(compute, 1);
      double[][] sums = new double[parts.length][(int) model.layout().size()];
      double loss = 0;
      for (int p = 0; p < parts.length; p++) {
        loss += parts[p].length == 0 ? 0 : products.product(theta, v, train, parts[p], sums[p]);
      }
      for (PairwiseReduction.Pair pair : PairwiseReduction.order(parts.length)) {
        for (int i = 0; i < sums[pair.target()].length; i++) {
          sums[pair.target()][i] += sums[pair.source()][i];
        }
      }
      done.add(new Product(compute, model.parameters(FlatArray.of(Precision.FLOAT64, sums[0])), loss, System.nanoTime() - start));
    }
    return done;
  }
}
