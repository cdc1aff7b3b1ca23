package dptrain.deploy.console;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

class ClusterEchoFilterTest {

  @Test
  void akkasEchoesOfAnEventTheCoordinatorReportsAreDroppedAndItsOtherWarningsPass() {
    LoggerContext context = new LoggerContext();
    ListAppender<ILoggingEvent> console = new ListAppender<>();
    console.setContext(context);
    ClusterEchoFilter filter = new ClusterEchoFilter();
    filter.start();
    console.addFilter(filter);
    console.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(console);
    Logger cluster = context.getLogger("akka.cluster.Cluster");
    Logger sbr = context.getLogger("akka.cluster.sbr.SplitBrainResolver");
    Logger association = context.getLogger("akka.remote.artery.Association");

    cluster.warn("Cluster Node [akka://dptrain@127.0.0.1:1] - Marking node as UNREACHABLE [Member(akka://dptrain@127.0.0.1:2, Up)].");
    sbr.warn("SBR took decision DownUnreachable and is downing [akka://dptrain@127.0.0.1:2]");
    association.warn("Association to [akka://dptrain@127.0.0.1:2] with UID [1] is irrecoverably failed.");
    cluster.warn("Couldn't join seed nodes after [16] attempts, will try again.");
    context.getLogger("dptrain.coordinator").warn("Marking node as UNREACHABLE is Akka's line, not ours");

    assertThat(console.list).extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("Couldn't join seed nodes after [16] attempts, will try again.",
            "Marking node as UNREACHABLE is Akka's line, not ours");
  }
}
