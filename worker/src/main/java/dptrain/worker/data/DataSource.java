package dptrain.worker.data;

import dptrain.protocol.job.DataSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a {@code --data} source into training and test sets. Loaded sets are cached per JVM:
 * they are immutable, so the simulated nodes of one JVM share one copy instead of one each.
 */
public final class DataSource {
  public static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";
  public static final String ALLOWED =
      "fashion-mnist, idx:DIR, csv:TRAIN[,TEST], synthetic:xor|linear|spirals|spirals-small|spirals-radius, autoencode:SOURCE, pair:SOURCE|SOURCE";
  private static final String AUTOENCODE = "autoencode:";
  private static final String PAIR = "pair:";
  private static final Map<DataSpec, TrainTestData> CACHE = new ConcurrentHashMap<>();

  private DataSource() {}

  public static TrainTestData load(DataSpec spec) {
    TrainTestData cached = CACHE.get(spec);
    if (cached != null) {
      return cached;
    }
    // Loading outside computeIfAbsent: a failed load must throw to the caller, not poison the map.
    TrainTestData loaded = Bootstrap.apply(SampleWeights.apply(
        Standardizer.parse(spec.standardize()).fitAndApply(ValidationSplit.apply(read(spec), spec)), spec), spec);
    CACHE.putIfAbsent(spec, loaded);
    return loaded;
  }

  private static TrainTestData read(DataSpec spec) {
    String source = spec.source();
    if (source.startsWith(PAIR)) {
      // A model pair's data (parameter tying): two sources, each row marked with the network it trains.
      String[] sources = pairSources(source);
      TrainTestData first = read(inner(spec, sources[0]));
      TrainTestData second = read(inner(spec, sources[1]));
      return new TrainTestData(Dataset.pair(first.train(), second.train()), Dataset.pair(first.test(), second.test()),
          "a pair: " + first.description() + " (network A), then " + second.description() + " (network B)");
    }
    if (source.startsWith(AUTOENCODE)) {
      // An autoencoder's data: another source's rows, each its own target (the raw features, before --standardize).
      TrainTestData inner = read(inner(spec, source.substring(AUTOENCODE.length())));
      return new TrainTestData(inner.train().reconstructingItself(), inner.test().reconstructingItself(),
          inner.description() + ", each row its own target");
    }
    if (source.equals("fashion-mnist")) {
      return idx(fashionMnistFolder(), "Fashion-MNIST");
    }
    if (source.startsWith("idx:")) {
      Path dir = idxFolder(source);
      return idx(dir, "IDX files in " + dir);
    }
    if (source.startsWith("csv:")) {
      String[] files = csvFiles(source);
      Dataset train = CsvReader.read(existing(files[0]), spec.targets(), spec.csvHeader());
      Dataset test = files.length == 2 ? CsvReader.read(existing(files[1]), spec.targets(), spec.csvHeader()) : train;
      return new TrainTestData(train, test,
          "CSV " + files[0] + (files.length == 2 ? " (test " + files[1] + ")" : " (evaluated on its own rows)"));
    }
    if (source.startsWith("synthetic:")) {
      return SyntheticData.named(source.substring("synthetic:".length()), spec.seed());
    }
    throw new DataException("unknown data source '" + source + "' (allowed: " + ALLOWED + ")");
  }

  /**
   * The files {@code source} reads, as they are here (none for synthetic data); a folder that
   * does not exist is refused as loading would refuse it.
   */
  private static DataSpec inner(DataSpec spec, String source) {
    return new DataSpec(source, spec.targets(), spec.seed(), "none", 0, false, 0, "none", spec.csvHeader());
  }

  private static String[] pairSources(String source) {
    String[] sources = source.substring(PAIR.length()).split("\\|", -1);
    if (sources.length != 2 || sources[0].isBlank() || sources[1].isBlank() || sources[0].startsWith(PAIR)) {
      throw new DataException("--data pair takes two sources, pair:A|B (e.g. pair:csv:a.csv|csv:b.csv), got '" + source + "'");
    }
    return sources;
  }

  public static List<Path> files(String source) {
    if (source.startsWith(PAIR)) {
      List<Path> both = new ArrayList<>(files(pairSources(source)[0]));
      both.addAll(files(pairSources(source)[1]));
      return both;
    }
    if (source.startsWith(AUTOENCODE)) {
      return files(source.substring(AUTOENCODE.length()));
    }
    if (source.equals("fashion-mnist") || source.startsWith("idx:")) {
      Path dir = source.equals("fashion-mnist") ? fashionMnistFolder() : idxFolder(source);
      List<Path> files = new ArrayList<>(IdxReader.pairFiles(dir, "train"));
      files.addAll(IdxReader.pairFiles(dir, "t10k"));
      return files;
    }
    if (source.startsWith("csv:")) {
      return Arrays.stream(csvFiles(source)).map(DataSource::existing).toList();
    }
    return List.of();
  }

  private static Path fashionMnistFolder() {
    String env = System.getenv("DPTRAIN_DATA");
    Path dir = Path.of(env != null && !env.isBlank() ? env : FASHION_MNIST_DIR);
    if (!Files.isDirectory(dir)) {
      throw new DataException("Fashion-MNIST not found in " + dir
          + ": install it with 'apt-get install dataset-fashion-mnist' or set DPTRAIN_DATA to a folder with its IDX files");
    }
    return dir;
  }

  private static Path idxFolder(String source) {
    Path dir = Path.of(source.substring(4));
    if (!Files.isDirectory(dir)) {
      throw new DataException("IDX folder " + dir + " does not exist");
    }
    return dir;
  }

  private static String[] csvFiles(String source) {
    String[] files = source.substring(4).split(",", -1);
    if (files.length > 2 || files[0].isBlank() || (files.length == 2 && files[1].isBlank())) {
      throw new DataException("--data csv takes csv:TRAIN or csv:TRAIN,TEST, got '" + source + "'");
    }
    return files;
  }

  private static TrainTestData idx(Path dir, String name) {
    return new TrainTestData(IdxReader.readPair(dir, "train"), IdxReader.readPair(dir, "t10k"), name);
  }

  private static Path existing(String file) {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new DataException("CSV file " + path + " does not exist");
    }
    return path;
  }
}
