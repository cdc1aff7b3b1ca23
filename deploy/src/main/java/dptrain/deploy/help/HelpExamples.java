package dptrain.deploy.help;

import java.util.List;
import java.util.Map;

/**
 * The examples at the end of a command's {@code --help}: commands that run as written. Commands
 * whose description already ends with examples (launch, simulate) are not listed here.
 */
final class HelpExamples {
  private static final Map<String, List<String>> EXAMPLES = Map.ofEntries(
      Map.entry("dptrain", List.of(
          "dptrain train                                   # the default job: Fashion-MNIST, 784-256-128-10, Adam",
          "dptrain train --help                            # every option of a job, by topic",
          "dptrain report runs/20261201-120000-000         # a run folder's charts and report.html",
          "dptrain bench compare                           # next to PyTorch, DDP and DL4J")),
      Map.entry("dptrain train", List.of(
          "dptrain train                                   # the default job; dashboard on 127.0.0.1:8470",
          "dptrain train --workers 2 --epochs 3 --no-dashboard",
          "dptrain train --data synthetic:xor --model 2-8-2 --activation tanh --batch all --steps 300",
          "dptrain train --data csv:train.csv,test.csv --targets 1 --loss ce",
          "dptrain train --mode async --workers 4 --staleness 2",
          "dptrain train --config job.conf --lr 0.01       # a HOCON file; flags win",
          "dptrain train --resume runs/20261201-120000-000 # go on from its newest good checkpoint")),
      Map.entry("dptrain coordinator", List.of(
          "dptrain coordinator --host 10.0.0.1 --workers 2 --tls certs/coordinator",
          "dptrain coordinator --standby --seed-nodes akka://dptrain@10.0.0.1:25520 --run-dir /shared/run")),
      Map.entry("dptrain worker", List.of("dptrain worker --seed-nodes akka://dptrain@10.0.0.1:25520 --host 10.0.0.2 --tls certs/w1")),
      Map.entry("dptrain evaluate", List.of("dptrain evaluate runs/20261201-120000-000",
          "dptrain evaluate runs/20261201-120000-000 --predict outputs.csv")),
      Map.entry("dptrain report", List.of("dptrain report runs/20261201-120000-000")),
      Map.entry("dptrain compare", List.of("dptrain compare --optimizers sgd:lr=0.05 momentum:lr=0.01 adam --epochs 2")),
      Map.entry("dptrain bag", List.of("dptrain bag --members 5 --epochs 3")));

  private HelpExamples() {}

  static List<String> of(String command) {
    return EXAMPLES.getOrDefault(command, List.of());
  }
}
