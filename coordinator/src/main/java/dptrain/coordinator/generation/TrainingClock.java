package dptrain.coordinator.generation;

/** Wall time and samples of the training periods only: set-up and evaluations do not count. */
final class TrainingClock {
  private long accumulatedNanos;
  private long resumedAt = -1;
  private long samples;

  void resume() {
    resumedAt = System.nanoTime();
  }

  void pause() {
    if (resumedAt < 0) {
      return;
    }
    accumulatedNanos += System.nanoTime() - resumedAt;
    resumedAt = -1;
  }

  void addSamples(int count) {
    samples += count;
  }

  double elapsedSeconds() {
    long running = resumedAt < 0 ? 0 : System.nanoTime() - resumedAt;
    return (accumulatedNanos + running) / 1e9;
  }

  double samplesPerSecond() {
    double seconds = elapsedSeconds();
    return seconds > 0 ? samples / seconds : 0;
  }
}
