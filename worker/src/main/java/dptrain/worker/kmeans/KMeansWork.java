package dptrain.worker.kmeans;

import akka.actor.typed.ActorRef;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.worker.data.Dataset;

/** A worker's answer to one k-means move over some of its training rows: a report, or why the move does not fit. */
public final class KMeansWork {
  private KMeansWork() {}

  public static CoordinatorProtocol.Command answer(WorkerProtocol.KMeans move, Dataset rows,
      ActorRef<WorkerProtocol.Command> worker) {
    if (move.from() < 0 || move.to() > rows.rows() || move.from() >= move.to()
        || move.centres().length != move.k() * rows.width()) {
      return new CoordinatorProtocol.WorkerFailed(worker, "k-means move over rows [" + move.from() + ", " + move.to()
          + ") with " + move.k() + " centres of " + move.centres().length + " values does not fit " + rows.rows()
          + " rows of width " + rows.width());
    }
    double[] none = new double[0];
    return switch (move.kind()) {
      case D2 -> new CoordinatorProtocol.KMeansReport(worker, move.round(),
          KMeansMoves.d2Sum(rows, move.from(), move.to(), move.centres(), move.k()), none, none, new long[0], none);
      case PICK -> new CoordinatorProtocol.KMeansReport(worker, move.round(), 0,
          KMeansMoves.pick(rows, move.from(), move.to(), move.centres(), move.k(), move.target()), none, new long[0], none);
      case ASSIGN -> {
        var a = KMeansMoves.assign(rows, move.from(), move.to(), move.centres(), move.k());
        yield new CoordinatorProtocol.KMeansReport(worker, move.round(), 0, none, a.sums(), a.counts(), a.squares());
      }
    };
  }
}
