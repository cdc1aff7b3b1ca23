package dptrain.worker;

import akka.actor.typed.ActorRef;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.worker.data.TrainTestData;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.ParameterViews;
import java.util.stream.IntStream;

/** A worker's answer to an Evaluate: summed loss and correct predictions over its rows, in batches of the job's size. */
final class EvaluationWork {
  private EvaluationWork() {}

  static CoordinatorProtocol.Command answer(WorkerProtocol.Evaluate evaluate, TrainTestData data, Mlp model,
      ParameterViews at, int evalBatch, ActorRef<WorkerProtocol.Command> worker) {
    if (evaluate.validation() && !data.hasValidation()) {
      return new CoordinatorProtocol.WorkerFailed(worker, "asked to evaluate on a validation set, but the job holds none out");
    }
    var rowsOf = evaluate.validation() ? data.validation() : data.test();
    double lossSum = 0;
    long correct = 0;
    int batch = Math.max(1, evalBatch);
    for (int from = evaluate.from(); from < evaluate.to(); from += batch) {
      int[] rows = IntStream.range(from, Math.min(evaluate.to(), from + batch)).toArray();
      Mlp.Evaluation result = model.evaluate(at, rowsOf, rows);
      lossSum += result.lossSum();
      correct += result.correct();
    }
    // A negative count of correct predictions says accuracy does not apply (regression targets, no class head).
    long reported = model.reportsAccuracy(rowsOf) ? correct : -1;
    return new CoordinatorProtocol.Evaluated(worker, evaluate.version(), lossSum, reported, evaluate.to() - evaluate.from());
  }
}
