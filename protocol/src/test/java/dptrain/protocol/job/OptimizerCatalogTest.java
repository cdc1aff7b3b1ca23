package dptrain.protocol.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizerCatalogTest {

  @Test
  void anOptimizerGetsTorchDefaultsForTheOptionsNotGiven() {
    OptimizerSpec adagrad = OptimizerCatalog.resolve("adagrad", Map.of("lr", 0.5));

    assertThat(adagrad.lr()).isEqualTo(0.5);
    assertThat(adagrad.get("eps")).isEqualTo(1e-10);
    assertThat(adagrad.get("initial-accumulator-value")).isZero();
    assertThat(OptimizerCatalog.resolve("adamw", Map.of()).get("weight-decay")).isEqualTo(0.01);
  }

  @Test
  void anOptionTheOptimizerLacksIsRefusedNamingItsOptions() {
    assertThatThrownBy(() -> OptimizerCatalog.resolve("adam", Map.of("momentum", 0.9)))
        .hasMessage("--momentum is not an option of adam (its options: --lr, --betas, --eps, --weight-decay, --amsgrad)");
    assertThatThrownBy(() -> OptimizerCatalog.resolve("sgd", Map.of("beta1", 0.9)))
        .hasMessageStartingWith("--betas is not an option of sgd");
  }

  @Test
  void valuesOutsideTheirRangeAreRefusedNamingTheRange() {
    assertThatThrownBy(() -> OptimizerCatalog.resolve("sgd", Map.of("lr", -0.1)))
        .hasMessage("--lr must be a number > 0, got -0.1");
    assertThatThrownBy(() -> OptimizerCatalog.resolve("adam", Map.of("beta2", 1.0)))
        .hasMessage("--betas must be two numbers in [0, 1), got 1");
    assertThatThrownBy(() -> OptimizerCatalog.resolve("momentum", Map.of("momentum", 1.5)))
        .hasMessage("--momentum must be in [0, 1), got 1.5");
    assertThatThrownBy(() -> OptimizerCatalog.resolve("lbfgs", Map.of("history-size", 2.5)))
        .hasMessageContaining("--history-size must be a whole number");
  }

  @Test
  void nesterovWithDampeningIsRefused() {
    assertThatThrownBy(() -> OptimizerCatalog.resolve("sgd", Map.of("momentum", 0.9, "dampening", 0.1, "nesterov", 1.0)))
        .hasMessageStartingWith("--nesterov needs --momentum > 0 and --dampening 0");
  }

  @Test
  void anUnknownOptimizerIsRefusedListingEveryKnownOne() {
    assertThatThrownBy(() -> OptimizerCatalog.resolve("adamm", Map.of()))
        .hasMessageContaining("unknown optimizer 'adamm'")
        .hasMessageContaining("rmsprop-nesterov")
        .hasMessageContaining("lbfgs");
  }
}
