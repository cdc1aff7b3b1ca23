package dptrain.deploy.help;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.Main;
import dptrain.deploy.train.TrainCommandTest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class ManualLayoutTest {
  private static final Pattern OPTION_LINE = Pattern.compile("^  (?:-\\w, )?(--[a-z0-9-]+)");

  @Test
  void trainHelpListsEveryOptionOnceUnderItsTopicInOrderAndEndsWithExamples() {
    var run = TrainCommandTest.run("train", "--help");

    assertThat(run.exitCode()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("Usage: dptrain train [OPTIONS]");
    List<String> headings = lines.stream().filter(l -> l.matches("[A-Z][a-z ()]+:")).toList();
    assertThat(headings).containsExactly("Data:", "Model:", "Optimizer:", "Schedule and stopping:", "Regularisation:",
        "Runtime and consistency modes:", "Checkpoints and starting points:", "Output:", "General:", "Examples:");
    List<String> listed = lines.stream().map(OPTION_LINE::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
    var spec = new CommandLine(new Main()).getSubcommands().get("train").getCommandSpec();
    List<String> declared = spec.options().stream().map(o -> o.longestName()).toList();
    assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(declared);
    assertThat(sectionOf(lines, "--lr")).isEqualTo("Optimizer:");
    assertThat(sectionOf(lines, "--mode")).isEqualTo("Runtime and consistency modes:");
    assertThat(sectionOf(lines, "--dashboard-port")).isEqualTo("Output:");
    assertThat(run.out()).contains("(default: 8470)", "  dptrain train --data synthetic:xor");
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "coordinator", "worker", "compare", "bag", "evaluate", "report", "launch", "simulate",
      "relay", "certs", "check-tls", "bench", "example", "export"})
  void everyCommandsHelpIsWrappedToTheWidthAtWordBoundaries(String command) {
    var run = TrainCommandTest.run(command, "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: dptrain " + command);
    assertThat(run.out().lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(ManualLayout.WIDTH));
    // A description line never ends in the middle of "word word": lines end at a word's end.
    assertThat(run.out().lines().filter(l -> !l.isBlank())).noneMatch(l -> l.endsWith(" "));
  }

  @Test
  void anUnknownCommandAndNoCommandAreBadInput() {
    var unknown = TrainCommandTest.run("frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err().lines()).hasSize(1).first().asString().contains("'frobnicate'");

    var none = TrainCommandTest.run();
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("Commands:", "error: name a command");
  }

  private static String sectionOf(List<String> lines, String option) {
    String section = null;
    for (String line : lines) {
      if (line.matches("[A-Z][a-z ()]+:")) {
        section = line;
      } else if (line.startsWith("  " + option + "=") || line.startsWith("  " + option + " ") || line.equals("  " + option)) {
        return section;
      }
    }
    return null;
  }
}
