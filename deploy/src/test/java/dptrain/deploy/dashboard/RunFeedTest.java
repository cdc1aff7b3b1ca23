package dptrain.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.report.JsonLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFeedTest {
  @TempDir
  Path dir;

  @Test
  void eachPollReturnsTheCompleteLinesAddedSinceTheLast() throws Exception {
    RunFeed feed = new RunFeed(dir);
    assertThat(feed.poll()).as("no file yet").isEmpty();
    Path file = dir.resolve("metrics.jsonl");
    Files.writeString(file, "{\"type\":\"step\",\"step\":0}\n{\"type\":\"step\",\"st");
    assertThat(feed.poll()).extracting(l -> l.text("step")).containsExactly("0");

    Files.writeString(file, "ep\":1}\n", StandardOpenOption.APPEND);
    assertThat(feed.poll()).extracting(JsonLine::type, l -> l.text("step")).containsExactly(org.assertj.core.groups.Tuple.tuple("step", "1"));
    assertThat(feed.poll()).isEmpty();

    Files.writeString(file, "{\"type\":\"epoch\",\"epoch\":1}\n");
    assertThat(feed.poll()).as("a new run started the file again").extracting(JsonLine::type).containsExactly("epoch");
  }
}
