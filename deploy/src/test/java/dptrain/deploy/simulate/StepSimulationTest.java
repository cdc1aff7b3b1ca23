package dptrain.deploy.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The simulated protocol against what its costs and network imply, worked out by hand. */
class StepSimulationTest {
  private static final long PARAMETERS = 100_000;

  /** Costs where only the gradient (1 ms a step, whatever the rows) and what a test sets take time. */
  private static Costs costs(double applyNs, double transportNs, double hopMs) {
    return new Costs("test", PARAMETERS, 1.0, 0, applyNs, 0, 0, hopMs, 0, transportNs, 0, 2, 2);
  }

  private static ClusterModel cluster(int nodes, String mode, double latencyMs, double bytesPerMs, double stragglerP,
      double stragglerF) {
    return cluster(nodes, mode, latencyMs, bytesPerMs, stragglerP, stragglerF, 49_152);
  }

  private static ClusterModel cluster(int nodes, String mode, double latencyMs, double bytesPerMs, double stragglerP,
      double stragglerF, int chunkFloats) {
    return new ClusterModel(nodes, 1, 2, true, false, PARAMETERS, 128, mode, 2, 1, latencyMs, bytesPerMs, false, false, 2, 2,
        stragglerP, stragglerF, chunkFloats, 7);
  }

  private static Prediction run(ClusterModel cluster, Costs costs) {
    return new StepSimulation(cluster, costs, 20).run();
  }

  @Test
  void oneNodeWithFreeMessagesStepsAtItsGradientsPace() {
    Prediction p = run(cluster(1, "sync", 0, 0, 0, 1), costs(0, 0, 0));

    assertThat(p.stepMs()).isCloseTo(1.0, within(1e-9));
    assertThat(p.samplesPerSecond()).isCloseTo(128_000, within(1e-6));
    assertThat(p.gradientBytesPerStep()).as("its shards sit beside it").isZero();
  }

  @Test
  void aSecondNodePutsTwoLinkCrossingsOnEveryStep() {
    // Each node's gradient reaches the shard on the other node (10 ms), the new piece comes back (10 ms).
    Prediction p = run(cluster(2, "sync", 10, 0, 0, 1), costs(0, 0, 0));

    assertThat(p.stepMs()).isCloseTo(21.0, within(1e-9));
    assertThat(p.computeMs()).isCloseTo(1.0, within(1e-9));
    assertThat(p.otherMs()).isCloseTo(20.0, within(1e-9));
  }

  @Test
  void aNicsBandwidthBoundsTheStepByTheBytesThatCrossIt() {
    // Each node sends half its gradient (200 KB) to the other's shard and that shard's new half
    // (200 KB) back: 400 KB out of each NIC a step, 4 ms at 100 KB/ms, after the 1 ms gradient.
    double bytesPerMs = 100_000;
    Prediction p = run(cluster(2, "sync", 0, bytesPerMs, 0, 1), costs(0, 0, 0));

    double half = p.gradientBytesPerStep() / 2;
    assertThat(half).isBetween(200_000.0, 200_000.0 + 64 * 4);
    assertThat(p.stepMs()).isGreaterThanOrEqualTo(1.0 + 2 * half / bytesPerMs).isLessThan(1.0 + 2 * half / bytesPerMs + 1.1);
  }

  @Test
  void theShardsApplyAndTheWorkPerByteOfArteryRunOnTheHostsCpus() {
    // One piece a shard. Apply: 50,000 parameters at 20 ns is 1 ms; Artery: 200 KB at 5 ns a
    // byte is 1 ms on each side: gradient 1, push 1 + 1, apply 1, parameters back 1 + 1.
    Prediction p = run(cluster(2, "sync", 0, 0, 0, 1, 1_000_000), costs(20, 5, 0));

    assertThat(p.applyMs()).isCloseTo(1.0, within(1e-9));
    assertThat(p.stepMs()).isCloseTo(1.0 + 2 + 1.0 + 2, within(0.01));
  }

  @Test
  void aStragglerSlowsEverySyncStepItIsInAndBackupModeLeavesItBehind() {
    var slow = cluster(4, "sync", 0, 0, 1.0 / 4, 10);
    var backup = new ClusterModel(4, 1, 2, true, false, PARAMETERS, 128, "backup", 2, 1, 0, 0, false, false, 2, 2, 1.0 / 4, 10,
        49_152, 7);

    Prediction sync = run(slow, costs(0, 0, 0));
    Prediction hidden = run(backup, costs(0, 0, 0));

    assertThat(sync.stepMs()).as("most steps have a node at 10 ms").isGreaterThan(5.0);
    assertThat(hidden.stepMs()).isLessThan(sync.stepMs());
  }

  @Test
  void asyncNodesDoNotWaitForEachOther() {
    var syncRun = run(cluster(4, "sync", 0, 0, 1.0 / 4, 10), costs(0, 0, 0));
    var asyncRun = run(cluster(4, "async", 0, 0, 1.0 / 4, 10), costs(0, 0, 0));
    var sspRun = run(cluster(4, "ssp", 0, 0, 1.0 / 4, 10), costs(0, 0, 0));

    assertThat(asyncRun.samplesPerSecond()).isGreaterThan(syncRun.samplesPerSecond());
    assertThat(sspRun.samplesPerSecond()).isBetween(syncRun.samplesPerSecond(), asyncRun.samplesPerSecond() * 1.0001);
  }

  @Test
  void theSameInputsPredictTheSameNumbers() {
    var model = cluster(8, "sync", 0.05, 1_250_000, 0.1, 3);
    var costs = Costs.BUILT_IN;

    assertThat(run(model, costs)).isEqualTo(run(model, costs));
  }

  @Test
  void jobsSharingCoresThatGiveLessThanTwoTakeLongerAndAThirdWaits() {
    var time = new VirtualTime();
    var cpu = new SharedCpu(time, 2, 1.25);
    double[] done = new double[3];
    cpu.run(1.0, () -> done[0] = time.now());
    cpu.run(1.0, () -> done[1] = time.now());
    cpu.run(0.5, () -> done[2] = time.now());
    time.run(() -> false, 100);

    assertThat(done[2]).as("queued behind the two, then alone").isCloseTo(2.1, within(1e-9));
    assertThat(done[0]).as("1.25 cores shared by two").isCloseTo(1.6, within(1e-9));
    assertThat(done[1]).isCloseTo(1.6, within(1e-9));
  }
}
