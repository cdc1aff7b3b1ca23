package dptrain.deploy.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.cluster.WorkerCommand;
import dptrain.deploy.train.CoordinatorCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The systemd units in deploy/cluster/systemd pass systemd's own check and start dptrain with options it takes. */
class SystemdUnitsTest {
  private static final Path UNITS = Path.of("cluster/systemd").toAbsolutePath();
  private static final List<String> FILES = List.of("dptrain-coordinator.service", "dptrain-worker.service");

  @Test
  void systemdAnalyzeVerifyFindsNothingToSay() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "no systemd-analyze on this machine");
    List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
    FILES.forEach(f -> command.add(UNITS.resolve(f).toString()));
    Process verify = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(verify.exitValue()).as(output).isZero();
    // It reports unknown keys and bad values as warnings with exit code 0: none may name our units.
    assertThat(output.lines().filter(l -> l.contains("dptrain-"))).as(output).isEmpty();
  }

  @Test
  void eachUnitsCommandLineWithTheExampleSettingsIsAcceptedByItsCommand() throws Exception {
    Map<String, String> settings = settings(UNITS.resolve("dptrain.env"));
    parse(new CoordinatorCommand(), "coordinator", execStart("dptrain-coordinator.service", settings));
    parse(new WorkerCommand(), "worker", execStart("dptrain-worker.service", settings));
  }

  private static void parse(Object command, String name, List<String> words) {
    int at = words.indexOf(name);
    assertThat(words.subList(0, at)).contains("dptrain.deploy.Main");
    new CommandLine(command).parseArgs(words.subList(at + 1, words.size()).toArray(String[]::new));
  }

  /** ExecStart with $VAR split into words and ${VAR} kept as one, as systemd does. */
  private static List<String> execStart(String unit, Map<String, String> settings) throws Exception {
    String line = Files.readAllLines(UNITS.resolve(unit)).stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
        .substring("ExecStart=".length());
    List<String> words = new ArrayList<>();
    for (String word : line.split(" ")) {
      Matcher whole = Pattern.compile("\\$\\{(\\w+)}").matcher(word);
      if (whole.matches()) {
        words.add(value(settings, whole.group(1)));
      } else if (word.startsWith("$")) {
        words.addAll(List.of(value(settings, word.substring(1)).split("\\s+")));
      } else {
        words.add(word);
      }
    }
    return words;
  }

  private static String value(Map<String, String> settings, String name) {
    assertThat(settings).as("dptrain.env sets " + name).containsKey(name);
    return settings.get(name);
  }

  private static Map<String, String> settings(Path file) throws Exception {
    Map<String, String> settings = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] pair = line.split("=", 2);
        settings.put(pair[0], pair[1]);
      }
    }
    return settings;
  }
}
