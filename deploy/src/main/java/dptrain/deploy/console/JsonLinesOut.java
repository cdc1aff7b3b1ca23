package dptrain.deploy.console;

import dptrain.deploy.report.Json;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output for {@code --log-format json}: every line of text written to it leaves as
 * {@code {"type":"message","text":...}}, so that a script reads nothing but JSON objects.
 */
final class JsonLinesOut extends OutputStream {
  private final PrintStream target;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  JsonLinesOut(PrintStream target) {
    this.target = target;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
      line.reset();
      synchronized (target) {
        target.println("{\"type\":\"message\",\"text\":" + Json.string(text) + "}");
      }
    } else {
      line.write(b);
    }
  }

  @Override
  public synchronized void flush() {
    target.flush();
  }
}
