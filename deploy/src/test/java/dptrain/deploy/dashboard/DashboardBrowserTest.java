package dptrain.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dptrain.deploy.Main;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live dashboard end to end, in headless Chromium driven by Selenium: a run with two worker
 * JVMs, the page's loss curve gaining points, its member list matching the worker processes, and
 * a killed worker leaving the list while training goes on. Skips, saying why, where Debian's
 * chromium and chromium-driver are not installed (.ci/run installs them).
 */
class DashboardBrowserTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File DRIVER = new File("/usr/bin/chromedriver");
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  private final ExecutorService trainer = Executors.newSingleThreadExecutor();
  private WebDriver browser;

  @AfterEach
  void stop() throws InterruptedException {
    if (browser != null) {
      browser.quit();
    }
    // Interrupting the run ends it: the coordinator stops, and its worker JVMs with it.
    trainer.shutdownNow();
    assertThat(trainer.awaitTermination(90, TimeUnit.SECONDS)).as("the run ended").isTrue();
  }

  @Test
  void thePageFollowsTheRunAndAKilledWorkerLeavesItsMemberList() throws Exception {
    assumeTrue(CHROMIUM.canExecute() && DRIVER.canExecute(), "needs Debian's chromium and chromium-driver");
    int port = freePort();
    Future<Integer> run = trainer.submit(() -> Main.execute("train", "--data", "synthetic:spirals", "--model", "2-64:tanh-2",
        "--batch", "50", "--epochs", "100000", "--processes", "--workers", "2", "--checkpoint-interval", "0",
        "--run-dir", dir.resolve("run").toString(), "--dashboard-port", String.valueOf(port)));
    browser = chromium();
    var wait = new WebDriverWait(browser, PATIENCE, Duration.ofMillis(200)).ignoring(StaleElementReferenceException.class);
    wait.until(d -> {
      try {
        d.get("http://127.0.0.1:" + port + "/");
        return true;
      } catch (org.openqa.selenium.WebDriverException notYet) {
        return false;
      }
    });

    int first = wait.until(d -> points(d) > 0 ? points(d) : null);
    wait.until(d -> points(d) > first);
    wait.until(d -> d.findElement(By.id("status")).getText().equals("training"));

    Map<Long, String> workers = new WebDriverWait(browser, PATIENCE, Duration.ofMillis(200))
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> "worker processes " + workerAddressesByPid() + ", page " + workerRows(browser))
        .until(d -> {
          Map<Long, String> byPid = workerAddressesByPid();
          return byPid.size() == 2 && workerRows(d).keySet().equals(Set.copyOf(byPid.values())) ? byPid : null;
        });
    // Each worker is up, and the coordinator's tally of its micro-batches and of its time per micro-batch shows.
    wait.until(d -> workerRows(d).values().stream().allMatch(row -> row.matches("Up [1-9][0-9]* [0-9]+\\.[0-9]{2}")));

    long victim = workers.keySet().iterator().next();
    ProcessHandle.of(victim).orElseThrow().destroyForcibly();
    String gone = workers.get(victim);
    String survivor = workers.values().stream().filter(a -> !a.equals(gone)).findFirst().orElseThrow();
    wait.until(d -> !workerRows(d).containsKey(gone));
    assertThat(workerRows(browser)).containsOnlyKeys(survivor);
    wait.until(d -> d.findElement(By.id("events")).getText().contains("worker_left"));
    // Training goes on with the worker left (after a roll-back, when the shard it held was lost):
    // the step shown moves, twice, so the second move is after the roll-back settled.
    for (int moves = 0; moves < 2; moves++) {
      String before = browser.findElement(By.id("step")).getText();
      wait.until(d -> !d.findElement(By.id("step")).getText().equals(before));
    }
    assertThat(run.isDone()).as("training goes on with the worker left").isFalse();

    Path shot = Path.of("target", "dashboard-screenshot.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static int points(WebDriver page) {
    return Integer.parseInt(page.findElement(By.id("loss-chart")).getAttribute("data-points"));
  }

  /** The member table's rows with the worker role: address to status, micro-batches done and ms per micro-batch. */
  private static Map<String, String> workerRows(WebDriver page) {
    // Read in one script: the page redraws the table every second, and found elements would go stale.
    @SuppressWarnings("unchecked")
    List<List<String>> rows = (List<List<String>>) ((JavascriptExecutor) page).executeScript(
        "return Array.from(document.querySelectorAll('#members tbody tr'))"
            + ".map(tr => Array.from(tr.cells).map(td => td.textContent));");
    return rows.stream()
        .filter(cells -> cells.size() == 6 && cells.get(1).contains("worker"))
        .collect(Collectors.toMap(cells -> cells.get(0), cells -> cells.get(2) + " " + cells.get(4) + " " + cells.get(5)));
  }

  /** This JVM's child JVMs (the run's worker nodes) and the Artery address each listens on, from ss. */
  private static Map<Long, String> workerAddressesByPid() {
    // The browser and its driver are children too; the worker nodes are the Java ones.
    List<Long> children = ProcessHandle.current().children()
        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).map(ProcessHandle::pid).toList();
    Map<Long, String> addresses = new java.util.HashMap<>();
    try {
      Process ss = new ProcessBuilder("ss", "-Hltnp").redirectErrorStream(true).start();
      String listing = new String(ss.getInputStream().readAllBytes());
      ss.waitFor(10, TimeUnit.SECONDS);
      for (String line : listing.split("\n")) {
        for (long pid : children) {
          if (line.contains("pid=" + pid + ",") && line.contains("127.0.0.1")) {
            // The local address, e.g. 127.0.0.1:40123 or [::ffff:127.0.0.1]:40123.
            String local = line.trim().split("\\s+")[3];
            addresses.put(pid, "akka://dptrain@127.0.0.1:" + local.substring(local.lastIndexOf(':') + 1));
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return addresses;
  }

  private static WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1500");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
