package dptrain.deploy.train;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.Main;
import dptrain.protocol.tensor.NpyFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The command-line contract: bad input is exit code 2 and one line naming the problem. */
public class TrainCommandTest {
  @TempDir
  static Path dir;

  public record Run(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  public static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  static Path csv(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  static List<Object[]> badInputs() throws IOException {
    Path ragged = csv("ragged.csv", "1,2,0\n1,2\n");
    Path text = csv("text.csv", "1,2,0\n1,x,1\n");
    Path labels = csv("labels.csv", "1,2,0\n3,4,5\n");
    Path tooShort = dir.resolve("short.npy");
    NpyFile.write(tooShort, dptrain.protocol.tensor.FlatArray.zeros(dptrain.protocol.tensor.Precision.FLOAT32, 41));
    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {"unknown optimizer", new String[] {"--optimizer", "rmsprop2"}, "unknown optimizer 'rmsprop2' (allowed: sgd, momentum, nesterov, adagrad, rmsprop, rmsprop-nesterov, adam, adamw, adamax, nadam, adadelta, lbfgs, cg, newton)"});
    cases.add(new Object[] {"malformed model", new String[] {"--model", "784-abc-10"}, "malformed --model '784-abc-10'"});
    cases.add(new Object[] {"widths that do not match the data", new String[] {"--data", "synthetic:xor", "--model", "3-4-2"},
        "--model input width 3 does not match the training data's 2 features"});
    cases.add(new Object[] {"missing dataset path", new String[] {"--data", "idx:/no/such/folder"}, "IDX folder /no/such/folder does not exist"});
    cases.add(new Object[] {"missing csv file", new String[] {"--data", "csv:/no/such.csv"}, "CSV file /no/such.csv does not exist"});
    cases.add(new Object[] {"ragged csv rows", new String[] {"--data", "csv:" + ragged}, "line 2 has 2 columns; the rows before have 3"});
    cases.add(new Object[] {"non-numeric csv cell", new String[] {"--data", "csv:" + text}, "line 2 column 2: 'x' is not a number"});
    cases.add(new Object[] {"unknown csv header choice", new String[] {"--data", "csv:" + text, "--csv-header", "maybe"},
        "--csv-header must be one of auto, yes, no, got 'maybe'"});
    cases.add(new Object[] {"class label out of range", new String[] {"--data", "csv:" + labels, "--model", "2-4-3"},
        "class label 5 in the training data is out of range for 3 outputs (allowed: 0..2)"});
    cases.add(new Object[] {"negative lr", new String[] {"--lr", "-0.1"}, "--lr must be a number > 0, got -0.1"});
    cases.add(new Object[] {"zero lr", new String[] {"--lr", "0"}, "--lr must be a number > 0, got 0"});
    cases.add(new Object[] {"zero batch", new String[] {"--batch", "0"}, "--batch must be a whole number >= 1 or 'all', got '0'"});
    cases.add(new Object[] {"zero epochs", new String[] {"--epochs", "0"}, "--epochs must be a whole number >= 1, got 0"});
    cases.add(new Object[] {"negative epochs", new String[] {"--epochs", "-3"}, "--epochs must be a whole number >= 1, got -3"});
    cases.add(new Object[] {"zero workers", new String[] {"--workers", "0"}, "--workers must be a whole number >= 1, got 0"});
    cases.add(new Object[] {"unknown data source", new String[] {"--data", "mnist"}, "unknown data source 'mnist'"});
    cases.add(new Object[] {"unknown loss", new String[] {"--loss", "hinge"}, "unknown loss 'hinge' (allowed: ce, bce, mse, mae, huber)"});
    cases.add(new Object[] {"a number that is not one", new String[] {"--lr", "fast"}, "'fast' is not a double"});
    cases.add(new Object[] {"an unknown option", new String[] {"--learning-rate", "0.1"}, "Unknown options: '--learning-rate'"});
    cases.add(new Object[] {"initial parameters of the wrong length",
        new String[] {"--data", "synthetic:xor", "--model", "2-8-2", "--init-params", tooShort.toString()},
        "holds 41 values; model 2-8-2 has 42 parameters"});
    cases.add(new Object[] {"initial parameters that are not npy",
        new String[] {"--data", "synthetic:xor", "--model", "2-8-2", "--init-params", labels.toString()}, "is not a NumPy .npy file"});
    cases.add(new Object[] {"reduction groups the workers do not divide", new String[] {"--reduction-groups", "4", "--workers", "3"},
        "--reduction-groups must be 0 or a multiple of --workers with a power of two per worker (any count for one worker),"
        + " got 4 with --workers 3"});
    cases.add(new Object[] {"betas outside [0, 1)", new String[] {"--betas", "0.9,1.0"}, "--betas must be two numbers in [0, 1), got 1"});
    cases.add(new Object[] {"nesterov with dampening", new String[] {"--optimizer", "sgd", "--momentum", "0.9", "--dampening", "0.1",
        "--nesterov"}, "--nesterov needs --momentum > 0 and --dampening 0, got --momentum 0.9 --dampening 0.1"});
    cases.add(new Object[] {"momentum out of range", new String[] {"--optimizer", "momentum", "--momentum", "1.2"},
        "--momentum must be in [0, 1), got 1.2"});
    cases.add(new Object[] {"an option the optimizer does not have", new String[] {"--optimizer", "adam", "--momentum", "0.9"},
        "--momentum is not an option of adam (its options: --lr, --betas, --eps, --weight-decay, --amsgrad)"});
    cases.add(new Object[] {"negative rmsprop alpha", new String[] {"--optimizer", "rmsprop", "--alpha", "-0.5"},
        "--alpha must be in [0, 1), got -0.5"});
    cases.add(new Object[] {"unknown schedule", new String[] {"--schedule", "triangle"}, "--schedule: unknown schedule 'triangle'"});
    cases.add(new Object[] {"schedule option out of range", new String[] {"--schedule", "step:gamma=2"},
        "--schedule step: gamma must be in (0, 1], got 2"});
    cases.add(new Object[] {"unknown dtype", new String[] {"--dtype", "float16"}, "--dtype must be float32 or float64, got 'float16'"});
    cases.add(new Object[] {"per-layer penalties that do not match the layers",
        new String[] {"--data", "synthetic:xor", "--model", "2-8-2", "--l2", "0.1,0.2,0.3"},
        "--l2 gives 3 values; the model has 2 layers"});
    cases.add(new Object[] {"negative clip norm", new String[] {"--clip-norm", "-1"}, "--clip-norm must be a number >= 0, got -1.0"});
    cases.add(new Object[] {"a penalty with a full-batch method", new String[] {"--optimizer", "lbfgs", "--l2", "0.1"},
        "apply to the stochastic optimizers, not to full-batch lbfgs"});
    cases.add(new Object[] {"a history size that is not whole", new String[] {"--optimizer", "lbfgs", "--history-size", "0"},
        "--history-size must be a whole number in [1, 100000], got 0"});
    cases.add(new Object[] {"an unknown activation", new String[] {"--activation", "swish"}, "unknown activation 'swish'"});
    cases.add(new Object[] {"an unknown init scheme", new String[] {"--data", "synthetic:xor", "--model", "2-8-2", "--init", "xavier"},
        "--init: unknown scheme 'xavier'"});
    cases.add(new Object[] {"per-layer init that does not match the layers",
        new String[] {"--data", "synthetic:xor", "--model", "2-8-2", "--init", "he-normal,he-normal,he-normal"},
        "--init gives 3 schemes; the model has 2 layers"});
    cases.add(new Object[] {"a keep probability outside (0, 1]", new String[] {"--model", "784-dropout:1.2-10"},
        "dropout takes a keep probability in (0, 1]"});
    cases.add(new Object[] {"an unknown layer", new String[] {"--model", "784-conv-10"}, "'conv' is not a width >= 1 or a known layer"});
    cases.add(new Object[] {"an unknown activation in the model", new String[] {"--data", "synthetic:xor", "--model", "2-8:swish-2"},
        "unknown activation 'swish'"});
    cases.add(new Object[] {"a model output the loss is not fused with", new String[] {"--data", "synthetic:xor", "--model", "2-8-2:sigmoid"},
        "--loss ce is fused with the softmax output, but --model asks for sigmoid"});
    cases.add(new Object[] {"an unknown standardisation", new String[] {"--standardize", "pca"},
        "unknown --standardize 'pca' (allowed: none, zscore, minmax, zca[:EPS])"});
    cases.add(new Object[] {"batch norm after the output layer", new String[] {"--model", "784-64-10-bn"},
        "'bn' normalizes a hidden layer, not the output"});
    cases.add(new Object[] {"batch norm before any layer", new String[] {"--model", "784-bn-64-10"}, "'bn' must follow a dense layer"});
    cases.add(new Object[] {"maxout with one piece", new String[] {"--data", "synthetic:xor", "--model", "2-8:maxout:1-2"},
        "maxout takes a number of pieces >= 2"});
    cases.add(new Object[] {"a DropConnect probability outside (0, 1]", new String[] {"--model", "784-dropconnect:0-10"},
        "dropconnect takes a keep probability in (0, 1]"});
    cases.add(new Object[] {"prelu as the output activation", new String[] {"--data", "synthetic:xor", "--model", "2-8-2:prelu",
        "--loss", "mse"}, "unknown activation 'prelu'"});
    cases.add(new Object[] {"batch norm with a full-batch method", new String[] {"--data", "synthetic:xor", "--model", "2-8-bn-2",
        "--optimizer", "lbfgs"}, "batch norm (bn in --model) needs a stochastic optimizer; lbfgs is full-batch"});
    cases.add(new Object[] {"early stopping without a validation set", new String[] {"--early-stopping", "7.1"},
        "--early-stopping 7.1 watches the validation loss: give --validation F, e.g. 0.1"});
    cases.add(new Object[] {"no compute lanes", new String[] {"--workers-per-node", "0"},
        "--workers-per-node must be auto or a whole number in [1, 64], got '0'"});
    cases.add(new Object[] {"more compute lanes than any node could use", new String[] {"--workers-per-node", "65"},
        "--workers-per-node must be auto or a whole number in [1, 64], got '65'"});
    cases.add(new Object[] {"compute lanes that are not a number", new String[] {"--workers-per-node", "many"},
        "--workers-per-node must be auto or a whole number in [1, 64], got 'many'"});
    cases.add(new Object[] {"an unknown early-stopping method", new String[] {"--early-stopping", "7.4", "--validation", "0.1"},
        "--early-stopping must be one of none, 7.1, 7.2, 7.3, got '7.4'"});
    cases.add(new Object[] {"a validation fraction of 1", new String[] {"--validation", "1"},
        "--validation must be a fraction in [0, 1), got 1.0"});
    cases.add(new Object[] {"an unknown augmentation", new String[] {"--augment", "rotate:10"}, "unknown augmentation 'rotate:10'"});
    cases.add(new Object[] {"image augmentation of data that are not images", new String[] {"--data", "synthetic:spirals",
        "--augment", "flip"}, "--augment flip needs square single-channel images, but rows have 2 values"});
    cases.add(new Object[] {"a curriculum with a score per row of another set", new String[] {"--data", "synthetic:xor",
        "--model", "2-8-2", "--curriculum", tooShort.toString()},
        "holds 41 scores; the job trains on 4 rows (one score per training row, after --validation's hold-out)"});
    cases.add(new Object[] {"synchronised batch norm without batch norm", new String[] {"--sync-batch-norm"},
        "--sync-batch-norm needs a batch-norm layer in --model"});
    cases.add(new Object[] {"label smoothing of 1", new String[] {"--label-smoothing", "1"},
        "--label-smoothing must be in [0, 1), got 1"});
    cases.add(new Object[] {"label smoothing of a regression loss", new String[] {"--data", "synthetic:xor", "--model",
        "2-4-1", "--loss", "mse", "--label-smoothing", "0.1"},
        "--label-smoothing smooths class targets: it needs --loss ce, got --loss mse"});
    cases.add(new Object[] {"newton without damping", new String[] {"--optimizer", "newton", "--damping", "0"},
        "--damping must be a number > 0, got 0"});
    cases.add(new Object[] {"newton on a loss without an exact curvature", new String[] {"--data", "synthetic:xor", "--model",
        "2-4-1", "--loss", "mae", "--optimizer", "newton"}, "--optimizer newton: Hessian-vector products need --loss ce"});
    cases.add(new Object[] {"newton through dropout", new String[] {"--data", "synthetic:xor", "--model", "2-dropout:0.8-4-2",
        "--optimizer", "newton"}, "--optimizer newton: Hessian-vector products need plain dense layers"});
    cases.add(new Object[] {"an exact Hessian too large to hold", new String[] {"--data", "synthetic:spirals", "--model",
        "2-100-100-2", "--optimizer", "newton", "--exact-hessian"},
        "--exact-hessian holds the whole Hessian: at most 4096 parameters, this model has 10602"});
    cases.add(new Object[] {"damping for adam", new String[] {"--damping", "0.1"}, "--damping is not an option of adam"});
    cases.add(new Object[] {"negative target noise", new String[] {"--data", "synthetic:xor", "--model", "2-4-1", "--loss",
        "mse", "--target-noise", "-0.5"}, "--target-noise must be a standard deviation >= 0, got -0.5"});
    cases.add(new Object[] {"target noise on class targets", new String[] {"--target-noise", "0.1"},
        "--target-noise adds noise to real-valued targets: it needs --loss mse, mae or huber, got --loss ce"});
    cases.add(new Object[] {"tied layers of different shapes", new String[] {"--data", "autoencode:synthetic:spirals",
        "--loss", "mse", "--model", "2-8-tied:1-3"},
        "--model: tied layers must mirror: dense layer 2 is 8x3, layer 1 is 2x8 (its transpose would be 8x2)"});
    cases.add(new Object[] {"an autoencoder of class labels with ce", new String[] {"--data", "autoencode:synthetic:spirals",
        "--model", "2-8-tied:1-2"}, "loss ce needs class labels, but the training data has real-valued targets"});
    cases.add(new Object[] {"tying without a pair", new String[] {"--tie", "0.1"},
        "--tie pulls two networks together: it needs a model pair, --data pair:A|B"});
    cases.add(new Object[] {"tying over two shards", new String[] {"--data", "pair:synthetic:spirals|synthetic:xor", "--tie", "0.1"},
        "--tie applies lambda ||W_A - W_B||^2 at the shard that holds both networks: use --ps-shards 1"});
    cases.add(new Object[] {"a pair of data sets that do not match", new String[] {"--data", "pair:synthetic:spirals|synthetic:linear",
        "--ps-shards", "1"}, "the two data sets of a pair must have the same features and targets: 2 and 1 features"});
    cases.add(new Object[] {"a pair of more than two", new String[] {"--data", "pair:synthetic:xor|synthetic:xor|synthetic:xor"},
        "--data pair takes two sources, pair:A|B"});
    cases.add(new Object[] {"a single head", new String[] {"--heads", "10:ce"},
        "--heads needs at least two heads (one head is the ordinary --loss), got '10:ce'"});
    cases.add(new Object[] {"a head with an unknown loss", new String[] {"--heads", "2:ce,1:cosine"},
        "head loss 'cosine' is not one of ce, bce, mse, mae, huber"});
    cases.add(new Object[] {"heads with their own --loss", new String[] {"--data", "synthetic:spirals-radius", "--heads",
        "2:ce,1:mse", "--loss", "mse"}, "--heads gives each head its own loss and output; leave out --loss and --output"});
    cases.add(new Object[] {"heads wider than the output layer", new String[] {"--data", "synthetic:spirals-radius",
        "--model", "2-8-2", "--heads", "2:ce,1:mse"}, "--heads 2:ce,1:mse has 3 outputs; the model's output layer has 2"});
    cases.add(new Object[] {"heads on data with one column of labels", new String[] {"--heads", "10:ce,1:mse"},
        "--heads 10:ce,1:mse reads 2 target column(s); the training data has one column of class labels"});
    cases.add(new Object[] {"a ce head whose column holds no class of it", new String[] {"--data", "synthetic:spirals-radius",
        "--heads", "1:mse,2:ce"}, "target column 2 of the training data's row 1 holds"});
    cases.add(new Object[] {"target noise with heads", new String[] {"--data", "synthetic:spirals-radius", "--heads",
        "2:ce,1:mse", "--target-noise", "0.1"}, "--target-noise is for a model with one regression loss"});
    cases.add(new Object[] {"softmax as a hidden activation", new String[] {"--activation", "softmax"}, "is an output activation"});
    cases.add(new Object[] {"an unknown consistency mode", new String[] {"--mode", "eventual"},
        "--mode must be one of sync, async, ssp, backup, got 'eventual'"});
    cases.add(new Object[] {"as many backup workers as workers",
        new String[] {"--mode", "backup", "--workers", "4", "--backup-workers", "4"},
        "--backup-workers 4 must be below --workers 4"});
    cases.add(new Object[] {"async with clipping by global norm", new String[] {"--mode", "async", "--clip-norm", "1"},
        "--clip-norm scales each step by the whole gradient's norm; --mode async applies each micro-batch on arrival"});
    cases.add(new Object[] {"a full-batch method in async mode", new String[] {"--mode", "ssp", "--optimizer", "lbfgs"},
        "--optimizer lbfgs is full-batch; --mode ssp needs a stochastic optimizer"});
    cases.add(new Object[] {"top-k of more than everything", new String[] {"--compression", "topk:2"},
        "--compression topk:2 is out of range"});
    cases.add(new Object[] {"an unknown compression", new String[] {"--compression", "zip"}, "--compression 'zip' is not known"});
    cases.add(new Object[] {"compression of float64 gradients", new String[] {"--compression", "fp16", "--dtype", "float64"},
        "--compression fp16 encodes float32 gradients"});
    cases.add(new Object[] {"resuming a run folder that is not there", new String[] {"--resume", "/no/such/run"},
        "--resume /no/such/run: no such run folder"});
    cases.add(new Object[] {"a checkpoint file without --resume", new String[] {"--resume-checkpoint", "/no/such.ckpt"},
        "--resume-checkpoint goes with --resume RUN_DIR"});
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputEndsWithExitCodeTwoAndOneLineNamingTheProblem(String what, String[] args, String message) {
    String[] command = new String[args.length + 1];
    command[0] = "train";
    System.arraycopy(args, 0, command, 1, args.length);

    Run run = run(command);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("error: ").contains(message);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aConfigFileWithAnUnknownKeyIsRefused() throws IOException {
    Path conf = csv("job.conf", "dptrain.train { workers = 2, lerning-rate = 0.1 }");

    Run run = run("train", "--config", conf.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown key 'lerning-rate' in the config file");
  }

  @Test
  void whenFashionMnistIsMissingTheMessageSaysHowToInstallIt() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "dptrain.deploy.Main", "train").redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("DPTRAIN_DATA", dir.resolve("no-such-folder").toString());
    Process process = builder.start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(err.lines().toList()).hasSize(1);
    assertThat(err).contains("Fashion-MNIST not found").contains("apt-get install dataset-fashion-mnist");
  }

  @Test
  void aSuccessfulRunEndsWithTheSummaryLineAndExportsTheParameters() throws IOException {
    Path export = dir.resolve("xor.npy");
    Path runDir = dir.resolve("run");

    Run run = run("train", "--data", "synthetic:xor", "--model", "2-8-2", "--activation", "tanh", "--lr", "0.05",
        "--batch", "all", "--steps", "200", "--workers", "2", "--run-dir", runDir.toString(),
        "--export-params", export.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(lines.size() - 1)).matches("final test_loss=\\S+ test_accuracy=1\\.0000 samples_per_s=\\d+");
    assertThat(NpyFile.read(export).toDoubles()).hasSize(2 * 8 + 8 + 8 * 2 + 2)
        .containsExactly(NpyFile.read(runDir.resolve("params.npy")).toDoubles());
    assertThat(Files.readString(runDir.resolve("config.conf"))).contains("synthetic:xor");
  }

  @Test
  void aCurriculumOfIncreasingScoresVisitsTheRowsInTheirOwnOrder() throws IOException {
    Path rising = dir.resolve("rising.npy");
    Path falling = dir.resolve("falling.npy");
    NpyFile.write(rising, dptrain.protocol.tensor.FlatArray.of(dptrain.protocol.tensor.Precision.FLOAT64,
        java.util.stream.IntStream.range(0, 1000).mapToDouble(i -> i).toArray()));
    NpyFile.write(falling, dptrain.protocol.tensor.FlatArray.of(dptrain.protocol.tensor.Precision.FLOAT64,
        java.util.stream.IntStream.range(0, 1000).mapToDouble(i -> -i).toArray()));
    String[] job = {"train", "--data", "synthetic:spirals", "--model", "2-8-2", "--batch", "100", "--epochs", "1",
        "--workers", "1", "--ps-shards", "1"};

    double[] inOrder = trained(job, "--shuffle", "false");
    double[] curriculum = trained(job, "--curriculum", rising.toString());
    double[] reversed = trained(job, "--curriculum", falling.toString());

    assertThat(curriculum).containsExactly(inOrder);
    assertThat(reversed).isNotEqualTo(inOrder);
  }

  private double[] trained(String[] job, String... more) throws IOException {
    Path runDir = dir.resolve("curriculum-" + java.util.UUID.randomUUID());
    String[] args = java.util.stream.Stream.of(job, more, new String[] {"--run-dir", runDir.toString()})
        .flatMap(java.util.Arrays::stream).toArray(String[]::new);
    Run run = run(args);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return NpyFile.read(runDir.resolve("params.npy")).toDoubles();
  }

  @Test
  void aModelCanBeAHoconListAndNameEachLayersInitialisation() {
    TrainConfig config = TrainConfig.fromKeys(java.util.Map.of("data", "synthetic:xor",
        "model", List.of(2, "init:normal:0.5", "8:tanh", "bn", 2), "init", "orthogonal"));

    assertThat(config.model()).isEqualTo("2-init:normal:0.5-8:tanh-bn-2");
    assertThat(config.initialization().weights()).containsExactly("normal:0.5", "orthogonal");
  }

  @Test
  void helpExplainsEveryOption() {
    Run run = run("train", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--data", "--model", "--optimizer", "--betas", "--batch", "--ps-shards", "--processes",
        "--init-params", "--export-params", "--run-dir", "Exit codes");
  }
}
