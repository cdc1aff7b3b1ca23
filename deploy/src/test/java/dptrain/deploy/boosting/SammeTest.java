package dptrain.deploy.boosting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SammeTest {

  @Test
  void aMemberWithAQuarterWrongVotesLnThreeAndTheRowsItMissedWeighAsMuchAsTheRest() {
    Samme samme = new Samme(4, 2);

    var round = samme.update(new boolean[] {true, false, false, false});

    assertThat(round.error()).isCloseTo(0.25, within(1e-15));
    assertThat(round.alpha()).isCloseTo(Math.log(3), within(1e-15));
    assertThat(samme.weights()).containsExactly(new double[] {0.5, 1.0 / 6, 1.0 / 6, 1.0 / 6}, within(1e-15));
  }

  @Test
  void withMoreClassesTheVoteGainsLnOfCMinusOneAndChanceIsOneMinusOneOverC() {
    Samme ten = new Samme(10, 10);
    boolean[] halfWrong = {true, true, true, true, true, false, false, false, false, false};

    var round = ten.update(halfWrong);

    assertThat(round.alpha()).as("50% wrong is better than chance among 10 classes").isCloseTo(Math.log(9), within(1e-12));
    Samme two = new Samme(10, 2);
    assertThat(two.update(halfWrong).better()).as("but not among 2").isFalse();
    assertThat(two.weights()).as("no vote, no reweighting").containsOnly(0.1);
  }
}
