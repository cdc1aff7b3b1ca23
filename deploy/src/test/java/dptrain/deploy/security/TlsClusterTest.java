package dptrain.deploy.security;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.LoggingTestKit;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.JoinSeedNodes;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dptrain.deploy.launch.HostsFile;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Akka cluster nodes over real TLS remoting on 127.0.0.1: nodes with certificates from
 * the cluster's CA join one another; a node with another CA's certificate, a self-signed one, an
 * expired one or no TLS at all cannot join, and the cluster's node logs each refusal.
 */
class TlsClusterTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @TempDir
  static Path dir;

  private final TestNodes nodes = new TestNodes();

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates.issue(dir.resolve("ours"), "coord", "w1");
    TestCertificates.issue(dir.resolve("theirs"), "coord", "w1");
  }

  @AfterEach
  void stopNodes() {
    nodes.stopAll();
  }

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  @Test
  void nodesWithCertificatesFromTheClustersCaFormACluster() {
    ActorSystem<Void> seed = seed();
    ActorSystem<Void> worker = node(tls("ours", "w1"), seed);

    awaitMembers(seed, 2);
    awaitMembers(worker, 2);
  }

  @Test
  void aNodeWithAnotherClustersCertificateCannotJoinAndTheClusterLogsWhy() {
    ActorSystem<Void> seed = seed();
    LoggingTestKit.warn("TLS: refused a connection on 127.0.0.1").withMessageContains("the peer refused this node's certificate")
        .withCheckExcess(false).expect(seed, () -> node(tls("theirs", "w1"), seed));
    assertThat(members(seed)).isEqualTo(1);
  }

  @Test
  void aNodeWithASelfSignedCertificateShowsNoneTheClusterTrustsAndCannotJoin() throws Exception {
    ActorSystem<Void> seed = seed();
    Config selfSigned = intruder("CN=intruder", false);
    LoggingTestKit.warn("TLS: refused a connection on 127.0.0.1: the peer showed no certificate").withCheckExcess(false)
        .expect(seed, () -> node(selfSigned, seed));
    assertThat(members(seed)).isEqualTo(1);
  }

  @Test
  void aCertificateThatClaimsTheClustersCaButIsSignedByAnotherKeyIsRefusedByName() throws Exception {
    ActorSystem<Void> seed = seed();
    Config forged = intruder("CN=forger", true);
    LoggingTestKit.warn("TLS: refused a connection from a client: its certificate CN=forger (issued by CN=dptrain cluster CA")
        .withCheckExcess(false).expect(seed, () -> node(forged, seed));
    assertThat(members(seed)).isEqualTo(1);
  }

  @Test
  void aNodeWhoseCertificateExpiredCannotJoinEvenIfItSkipsItsOwnCheckAndTheClusterLogsTheDate() throws Exception {
    ActorSystem<Void> seed = seed();
    Instant issuedAt = Instant.now().minus(Duration.ofDays(60));
    new ClusterCertificates(dir.resolve("ours"), Clock.fixed(issuedAt, ZoneOffset.UTC), Duration.ofDays(30))
        .issue(HostsFile.parse("test", List.of("coord 127.0.0.1 coordinator,ps port=26000", "late 127.0.0.1 worker,ps port=26009")));
    // coord's folder exists and is kept. NodeTls would refuse to start this node; the peer reads its folder on a clock of its own that says it is still valid.
    Config expired = NodeTls.load(dir.resolve("ours/late"), "127.0.0.1", Clock.fixed(issuedAt, ZoneOffset.UTC)).akkaSettings();

    LoggingTestKit.warn("TLS: refused a connection from a client: its certificate CN=late (issued by CN=dptrain cluster CA")
        .withMessageContains("expired on " + issuedAt.plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS))
        .withCheckExcess(false).expect(seed, () -> node(expired, seed));
    assertThat(members(seed)).isEqualTo(1);
  }

  @Test
  void aNodeWithoutTlsCannotJoin() {
    ActorSystem<Void> seed = seed();
    LoggingTestKit.warn("the peer does not speak TLS").withCheckExcess(false)
        .expect(seed, () -> node(ConfigFactory.empty(), seed));
    assertThat(members(seed)).isEqualTo(1);
  }

  /**
   * On plain TCP, Artery's stream header followed by one frame with a negative length sends Akka
   * 2.6's TCP framing into a loop over the same bytes (hundreds of thousands of dropped-message
   * warnings a second, until the node's heartbeats starve; see the README's chaos section). Over
   * TLS those bytes are not a handshake, so they are refused before Artery reads a frame.
   */
  @Test
  void theBytesThatSendAPlainNodeIntoALoopAreRefusedAtTheHandshakeAndTheClusterKeepsItsMembers() throws Exception {
    ActorSystem<Void> seed = seed();
    node(tls("ours", "w1"), seed);
    awaitMembers(seed, 2);
    int port = (Integer) Cluster.get(seed).selfMember().address().port().get();
    byte[] poison = java.nio.ByteBuffer.allocate(17).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .put("AKKA".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 2).putInt(-8).putLong(0).array();

    LoggingTestKit.warn("Dropping message").withOccurrences(0).expect(seed, () -> {
      LoggingTestKit.warn("TLS: refused a connection on 127.0.0.1").withMessageContains("does not speak TLS")
          .withCheckExcess(false).expect(seed, () -> {
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
              socket.getOutputStream().write(poison);
              socket.getOutputStream().flush();
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            return null;
          });
      return null;
    });
    assertThat(members(seed)).isEqualTo(2);
  }

  private ActorSystem<Void> seed() {
    ActorSystem<Void> seed = start(tls("ours", "coord"));
    Cluster.get(seed).manager().tell(Join.create(Cluster.get(seed).selfMember().address()));
    awaitMembers(seed, 1);
    return seed;
  }

  private ActorSystem<Void> node(Config transport, ActorSystem<Void> seed) {
    ActorSystem<Void> node = start(transport);
    Cluster.get(node).manager().tell(new JoinSeedNodes(List.of(Cluster.get(seed).selfMember().address())));
    return node;
  }

  private ActorSystem<Void> start(Config transport) {
    return nodes.start(Behaviors.empty(), transport);
  }

  private static Config tls(String cluster, String host) {
    return NodeTls.load(dir.resolve(cluster).resolve(host), "127.0.0.1", Clock.systemUTC()).akkaSettings();
  }

  /**
   * An intruder's node on 127.0.0.1 with our cluster's trust store (it trusts the seed, not the
   * reverse) and a key whose certificate is self-signed, or with {@code claimOurCa} names our
   * CA as its issuer but is signed by the intruder's own key. Its settings are written by hand,
   * as an attacker would: NodeTls would refuse the folder.
   */
  private static Config intruder(String subject, boolean claimOurCa) throws Exception {
    Path folder = dir.resolve(subject.substring(3));
    OwnerOnlyFiles.createFolder(folder);
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    var pair = generator.generateKeyPair();
    var ours = (java.security.cert.X509Certificate) ClusterCertificates.load(dir.resolve("ours/w1/trust.p12"),
        ClusterCertificates.readPassword(dir.resolve("ours/w1/password"))).getCertificate("ca");
    var issuer = claimOurCa ? X500Name.getInstance(ours.getSubjectX500Principal().getEncoded()) : new X500Name(subject);
    var now = java.time.Instant.now();
    var holder = new JcaX509v3CertificateBuilder(issuer, java.math.BigInteger.TWO, java.util.Date.from(now.minusSeconds(3600)),
        java.util.Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), pair.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
    var certificate = new JcaX509CertificateConverter().getCertificate(holder);
    String secret = "intruder-password";
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("node", pair.getPrivate(), secret.toCharArray(),
        claimOurCa ? new Certificate[] {certificate, ours} : new Certificate[] {certificate});
    var bytes = new java.io.ByteArrayOutputStream();
    keys.store(bytes, secret.toCharArray());
    OwnerOnlyFiles.write(folder.resolve(ClusterCertificates.NODE_STORE), bytes.toByteArray());
    OwnerOnlyFiles.write(folder.resolve(ClusterCertificates.PASSWORD), secret.getBytes());
    TestCertificates.copyTrust(dir.resolve("ours/w1"), folder);
    String engine = "akka.remote.artery.ssl.config-ssl-engine.";
    Config settings = tls("ours", "w1");
    for (String key : List.of("key-store-password", "key-password", "trust-store-password")) {
      settings = settings.withValue(engine + key, ConfigValueFactory.fromAnyRef(secret));
    }
    return settings.withValue(engine + "key-store", ConfigValueFactory.fromAnyRef(folder.resolve("node.p12").toString()))
        .withValue(engine + "trust-store", ConfigValueFactory.fromAnyRef(folder.resolve("trust.p12").toString()));
  }

  private static long members(ActorSystem<Void> system) {
    return TestNodes.members(system);
  }

  private static void awaitMembers(ActorSystem<Void> system, long count) {
    TestNodes.awaitMembers(KIT, system, count);
  }
}
