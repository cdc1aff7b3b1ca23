package dptrain.deploy.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;

/** The Akka configuration of one node: its roles, where it binds, and the base node settings. */
public final class NodeConfig {
  public static final String SYSTEM_NAME = "dptrain";

  private NodeConfig() {}

  public static Config of(List<String> roles, String host, int port, boolean exitJvm) {
    return ConfigFactory.empty()
        .withValue("akka.cluster.roles", ConfigValueFactory.fromIterable(roles))
        .withValue("akka.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
        .withValue("akka.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
        .withValue("akka.coordinated-shutdown.exit-jvm", ConfigValueFactory.fromAnyRef(exitJvm))
        .withFallback(ConfigFactory.parseResources("dptrain-node.conf"))
        .withFallback(ConfigFactory.load());
  }
}
