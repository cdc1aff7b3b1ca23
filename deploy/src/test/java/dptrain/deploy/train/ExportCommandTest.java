package dptrain.deploy.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
  @TempDir
  Path dir;

  @Test
  void aRunsParametersBecomeAnNpzThatNumpyReadsTensorByTensor() throws Exception {
    Path runDir = dir.resolve("run");
    var train = TrainCommandTest.run("train", "--data", "synthetic:spirals", "--model", "2-8:prelu-bn-2", "--batch", "50",
        "--epochs", "1", "--workers", "1", "--no-dashboard", "--run-dir", runDir.toString());
    assertThat(train.exitCode()).as(train.err()).isZero();

    var export = TrainCommandTest.run("export", runDir.toString());

    assertThat(export.exitCode()).as(export.err()).isZero();
    Path npz = runDir.resolve("params.npz");
    try (ZipFile zip = new ZipFile(npz.toFile())) {
      assertThat(zip.stream().map(e -> e.getName()).toList()).containsExactly("layer0.weight.npy", "layer0.bias.npy",
          "layer0.bn_gamma.npy", "layer0.bn_beta.npy", "layer0.bn_running_mean.npy", "layer0.bn_running_var.npy",
          "layer0.prelu_alpha.npy", "layer1.weight.npy", "layer1.bias.npy", "params.npy");
    }
    File python = new File("/usr/bin/python3");
    Assumptions.assumeTrue(python.canExecute(), "numpy's check needs /usr/bin/python3");
    // numpy reads every tensor, with its shape, and each is its slice of the flat vector.
    String script = "import numpy as np, sys\n"
        + "z = np.load(sys.argv[1]); p = z['params']\n"
        + "assert z['layer0.weight'].shape == (2, 8) and z['layer1.weight'].shape == (8, 2)\n"
        + "flat = np.concatenate([z[k].ravel() for k in z.files if k != 'params'])\n"
        + "assert sorted(flat.tolist()) == sorted(p.tolist()) and len(flat) == len(p)\n"
        + "assert np.array_equal(z['layer0.weight'].ravel(), p[0:16])\n"
        + "print('ok', len(p))\n";
    Process check = new ProcessBuilder(python.getPath(), "-c", script, npz.toString()).redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Assumptions.assumeFalse(output.contains("No module named 'numpy'"), "numpy is not installed");
    assertThat(output.strip()).isEqualTo("ok 75");
  }

  @Test
  void onnxIsRefusedSayingWhy() {
    var run = TrainCommandTest.run("export", dir.toString(), "--format", "onnx");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no maintained Java library writes ONNX models");
  }
}
