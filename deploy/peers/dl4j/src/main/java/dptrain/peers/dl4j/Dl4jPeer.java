package dptrain.peers.dl4j;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The default job (MLP 784-256-128-10 relu, Adam 1e-3, batch 128, Fashion-MNIST) on DL4J's
 * MultiLayerNetwork, one process. Prints one JSON object per epoch, as the PyTorch peer does:
 * {"epoch", "train_s", "samples", "test_accuracy"}. Arguments: [epochs] (default 3).
 */
public final class Dl4jPeer {
  private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
  private static final int BATCH = 128;

  private Dl4jPeer() {}

  public static void main(String[] args) throws IOException {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    DataSet train = load("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
    DataSet test = load("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(0).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
        .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
        .layer(new DenseLayer.Builder().nIn(256).nOut(128).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(128).nOut(10).activation(Activation.SOFTMAX).build())
        .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    int steps = train.numExamples() / BATCH;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      train.shuffle(epoch);
      var batches = train.batchBy(BATCH);
      long start = System.nanoTime();
      for (int s = 0; s < steps; s++) {
        network.fit(batches.get(s));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double accuracy = network.evaluate(new org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator(test)).accuracy();
      System.out.println(String.format(Locale.ROOT, "{\"epoch\": %d, \"train_s\": %.4f, \"samples\": %d, \"test_accuracy\": %.4f}",
          epoch, seconds, steps * BATCH, accuracy));
    }
  }

  private static DataSet load(String images, String labels) throws IOException {
    byte[] pixels = idx(images);
    byte[] classes = idx(labels);
    int rows = classes.length;
    float[] x = new float[rows * 784];
    for (int i = 0; i < x.length; i++) {
      x[i] = (pixels[i] & 0xff) / 255f;
    }
    float[] y = new float[rows * 10];
    for (int r = 0; r < rows; r++) {
      y[r * 10 + classes[r]] = 1f;
    }
    INDArray features = Nd4j.create(x, new long[] {rows, 784}, 'c');
    INDArray targets = Nd4j.create(y, new long[] {rows, 10}, 'c');
    return new DataSet(features, targets);
  }

  /** The values of a gzipped IDX file (the header's dimensions skipped). */
  private static byte[] idx(String name) throws IOException {
    try (var in = new DataInputStream(new GZIPInputStream(Files.newInputStream(DATA.resolve(name))))) {
      int dims = in.readInt() & 0xff;
      long count = 1;
      for (int d = 0; d < dims; d++) {
        count *= in.readInt();
      }
      return in.readNBytes((int) count);
    }
  }
}
