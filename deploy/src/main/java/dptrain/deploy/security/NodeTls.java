package dptrain.deploy.security;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dptrain.deploy.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * A node's TLS material (a host folder of {@code dptrain certs}), checked before the node
 * starts, and the Artery settings that use it: TLS 1.3 over TCP, mutual authentication (a peer
 * without a certificate from the cluster's CA cannot connect either way), and verification of
 * the host name or address a node dials against the certificate it is shown. Every check that
 * fails ends the start with one line that names the file and what is wrong with it, instead of
 * a handshake failure later on the wire. The stores' password is read from the folder and
 * handed to Akka in memory: it is never on a command line, in a log or in the run folder.
 */
public final class NodeTls {
  private final Path folder;
  private final char[] password;
  private final X509Certificate certificate;

  private NodeTls(Path folder, char[] password, X509Certificate certificate) {
    this.folder = folder;
    this.password = password;
    this.certificate = certificate;
  }

  /** The checked material in {@code folder}, for a node that others dial at {@code address}. */
  public static NodeTls load(Path folder, String address, Clock clock) {
    Path node = folder.resolve(ClusterCertificates.NODE_STORE);
    Path trust = folder.resolve(ClusterCertificates.TRUST_STORE);
    Path passwordFile = folder.resolve(ClusterCertificates.PASSWORD);
    for (Path file : List.of(node, trust, passwordFile)) {
      if (!Files.isRegularFile(file)) {
        throw new UsageException("TLS: " + file + " is missing (make a host's files with 'dptrain certs --hosts FILE --out DIR'"
            + " and give --tls DIR/HOST)");
      }
    }
    try {
      for (Path file : List.of(folder, node, passwordFile)) {
        if (OwnerOnlyFiles.opensToOthers(file)) {
          throw new UsageException("TLS: " + file + " may be read by other users; make it the owner's alone (chmod "
              + (Files.isDirectory(file) ? "700" : "600") + " " + file + ")");
        }
      }
      char[] password = ClusterCertificates.readPassword(passwordFile);
      KeyStore keys = open(node, password);
      KeyStore trusted = open(trust, password);
      if (!(keys.getCertificate(ClusterCertificates.NODE_ALIAS) instanceof X509Certificate mine)
          || !keys.isKeyEntry(ClusterCertificates.NODE_ALIAS)) {
        throw new UsageException("TLS: " + node + " holds no key and certificate named '" + ClusterCertificates.NODE_ALIAS + "'");
      }
      if (!(trusted.getCertificate(ClusterCertificates.CA_ALIAS) instanceof X509Certificate ca)) {
        throw new UsageException("TLS: " + trust + " holds no CA certificate named '" + ClusterCertificates.CA_ALIAS + "'");
      }
      checkSignedBy(mine, ca, node, trust);
      checkValid(mine, node, clock);
      checkNames(mine, node, address);
      return new NodeTls(folder, password, mine);
    } catch (IOException | GeneralSecurityException e) {
      throw new UsageException("TLS: cannot read " + folder + ": " + e.getMessage());
    }
  }

  /** The subject of this node's certificate, as peers see it. */
  public String subject() {
    return certificate.getSubjectX500Principal().getName();
  }

  /** Artery over TLS with these stores, on top of a node's settings. */
  public Config akkaSettings() {
    String engine = "akka.remote.artery.ssl.config-ssl-engine.";
    String secret = new String(password);
    Map<String, Object> settings = new java.util.HashMap<>();
    settings.put("akka.remote.artery.transport", "tls-tcp");
    settings.put("akka.remote.artery.ssl.ssl-engine-provider", AuditedSslEngineProvider.class.getName());
    settings.put(engine + "key-store", folder.resolve(ClusterCertificates.NODE_STORE).toAbsolutePath().toString());
    settings.put(engine + "trust-store", folder.resolve(ClusterCertificates.TRUST_STORE).toAbsolutePath().toString());
    settings.put(engine + "key-store-password", secret);
    settings.put(engine + "key-password", secret);
    settings.put(engine + "trust-store-password", secret);
    settings.put(engine + "protocol", "TLSv1.3");
    settings.put(engine + "enabled-algorithms", List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"));
    settings.put(engine + "require-mutual-authentication", "on");
    settings.put(engine + "hostname-verification", "on");
    return ConfigFactory.parseMap(settings);
  }

  private static KeyStore open(Path store, char[] password) throws IOException {
    try {
      return ClusterCertificates.load(store, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new UsageException("TLS: cannot open " + store + " with the password in its folder (" + e.getMessage()
          + "); were they made together by 'dptrain certs'?");
    }
  }

  private static void checkSignedBy(X509Certificate mine, X509Certificate ca, Path node, Path trust) {
    try {
      mine.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new UsageException("TLS: the certificate in " + node + " (" + mine.getSubjectX500Principal().getName()
          + ") is not signed by the cluster's CA in " + trust + " (" + ca.getSubjectX500Principal().getName() + ")");
    }
  }

  private static void checkValid(X509Certificate mine, Path node, Clock clock) {
    try {
      mine.checkValidity(Date.from(clock.instant()));
    } catch (CertificateExpiredException e) {
      throw new UsageException("TLS: the certificate in " + node + " expired on " + mine.getNotAfter().toInstant()
          + " (make a new one with 'dptrain certs')");
    } catch (CertificateNotYetValidException e) {
      throw new UsageException("TLS: the certificate in " + node + " is valid only from " + mine.getNotBefore().toInstant()
          + " (is this host's clock right?)");
    }
  }

  /** Peers dial {@code address} and verify it against the certificate: it must be among its names. */
  private static void checkNames(X509Certificate mine, Path node, String address) throws CertificateParsingException {
    List<String> names = new ArrayList<>();
    String canonical = ClusterCertificates.canonicalIp(address);
    boolean named = false;
    if (mine.getSubjectAlternativeNames() != null) {
      for (List<?> name : mine.getSubjectAlternativeNames()) {
        int type = (Integer) name.get(0);
        String value = String.valueOf(name.get(1));
        names.add((type == 7 ? "ip:" : "dns:") + value);
        named |= type == 7 ? canonical != null && canonical.equals(ClusterCertificates.canonicalIp(value)) : value.equalsIgnoreCase(address);
      }
    }
    if (!named) {
      throw new UsageException("TLS: the certificate in " + node + " names " + names + ", not " + address
          + ", the address this node binds: peers that dial it would refuse it (give this host's folder, or make its"
          + " certificate with this address in the hosts file)");
    }
  }
}
