package dptrain.deploy.train;

import dptrain.deploy.UsageException;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.NpyFile;
import dptrain.worker.data.DataSource;
import dptrain.worker.model.ParameterLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dptrain export}: a run's parameters as a NumPy {@code .npz} archive (the JDK's zip and
 * our .npy writer, as numpy.savez writes it): each layer's weight [in, out] and bias, batch
 * norm's gamma, beta and running statistics, PReLU's slope, and the whole flat vector. ONNX is
 * not offered: no maintained Java library writes ONNX models.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Writes a run's parameters (RUN_DIR/params.npy) as a NumPy .npz archive, one named array per tensor:",
        "layerK.weight [in, out], layerK.bias, layerK.bn_gamma/bn_beta/bn_running_mean/bn_running_var, layerK.prelu_alpha,",
        "and params (the flat vector, in layout order). numpy.load(FILE) reads it. Exit codes: 0 written, 2 bad input.",
        "", "Example:", "  dptrain export runs/20261201-120000-000 --out model.npz"})
public final class ExportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", description = "The run folder (config.conf, params.npy).")
  Path runDir;

  @Option(names = "--format", paramLabel = "npz", defaultValue = "npz", description = "Only npz (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write (default: RUN_DIR/params.npz).")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (!format.equals("npz")) {
      throw new UsageException("--format " + format + " is not offered: npz only (no maintained Java library writes ONNX models)");
    }
    TrainConfig config = EvaluateCommand.trainedWith(runDir);
    Path params = runDir.resolve("params.npy");
    if (!Files.isRegularFile(params)) {
      throw new UsageException(runDir + " holds no params.npy (did its run finish?)");
    }
    var data = DataSource.load(config.data());
    ParameterLayout layout = new ParameterLayout(config.modelFor(data.train(), data.test()));
    FlatArray values = NpyFile.read(params);
    if (values.length() != layout.size()) {
      throw new UsageException(params + " holds " + values.length() + " values; the run's model has " + layout.size());
    }
    Path target = out != null ? out : runDir.resolve("params.npz");
    write(target, layout, values);
    System.out.println("exported " + layout.layers().size() + " layer(s), " + values.length() + " parameters: " + target);
    return 0;
  }

  static void write(Path file, ParameterLayout layout, FlatArray values) throws IOException {
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path partial = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
    try (OutputStream stream = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(stream)) {
      for (int copy = 0; copy < layout.copies(); copy++) {
        // A model pair's networks are "a." and "b."; one network's layers have no prefix.
        String prefix = layout.copies() == 1 ? "" : copy == 0 ? "a." : "b.";
        long at = layout.copyOffset(copy);
        for (int k = 0; k < layout.layers().size(); k++) {
          var layer = layout.layers().get(k);
          String name = prefix + "layer" + k + ".";
          if (!layer.tied()) {
            // A tied layer's weight is layer<tiedTo>.weight, transposed; it holds none of its own.
            entry(zip, name + "weight", values, at + layer.weightOffset(), new long[] {layer.in(), layer.out()});
          }
          entry(zip, name + "bias", values, at + layer.biasOffset(), new long[] {layer.out()});
          if (layer.normalizes()) {
            entry(zip, name + "bn_gamma", values, at + layer.gammaOffset(), new long[] {layer.out()});
            entry(zip, name + "bn_beta", values, at + layer.betaOffset(), new long[] {layer.out()});
            entry(zip, name + "bn_running_mean", values, at + layer.runningMeanOffset(), new long[] {layer.out()});
            entry(zip, name + "bn_running_var", values, at + layer.runningVarianceOffset(), new long[] {layer.out()});
          }
          if (layer.alphaOffset() >= 0) {
            entry(zip, name + "prelu_alpha", values, at + layer.alphaOffset(), new long[] {1});
          }
        }
      }
      entry(zip, "params", values, 0, new long[] {values.length()});
    }
    Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void entry(ZipOutputStream zip, String name, FlatArray values, long offset, long[] shape) throws IOException {
    int length = Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b));
    zip.putNextEntry(new ZipEntry(name + ".npy"));
    zip.write(NpyFile.encode(values, Math.toIntExact(offset), length, shape));
    zip.closeEntry();
  }
}
