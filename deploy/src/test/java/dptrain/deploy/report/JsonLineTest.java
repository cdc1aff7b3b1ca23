package dptrain.deploy.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonLineTest {
  @Test
  void readsTheFlatObjectsThatMetricsLogWrites() {
    var line = JsonLine.parse("{\"type\":\"step\",\"step\":12,\"train_loss\":0.25,\"lr\":1.00000e-03,\"skipped\":false,"
        + "\"test_loss\":null,\"reason\":\"a \\\"quoted\\\" word\\n\"}");

    assertThat(line.type()).isEqualTo("step");
    assertThat(line.number("step")).isEqualTo(12.0);
    assertThat(line.text("step")).isEqualTo("12");
    assertThat(line.number("lr")).isEqualTo(1e-3);
    assertThat(line.text("skipped")).isEqualTo("false");
    assertThat(line.has("test_loss")).isFalse();
    assertThat(line.number("test_loss")).isNaN();
    assertThat(line.text("reason")).isEqualTo("a \"quoted\" word\n");
    assertThat(line.fields().keySet()).containsExactly("type", "step", "train_loss", "lr", "skipped", "test_loss", "reason");
  }

  @Test
  void aLineThatIsNotAFlatObjectIsRefusedWithItsColumn() {
    assertThatThrownBy(() -> JsonLine.parse("{\"type\":\"step\",\"step\":")).hasMessageContaining("ends early");
    assertThatThrownBy(() -> JsonLine.parse("{\"a\":[1]}")).hasMessage("a value that is not a string, number, boolean or null at column 6");
    assertThatThrownBy(() -> JsonLine.parse("{\"a\":1} x")).hasMessageContaining("text after the object");
  }
}
