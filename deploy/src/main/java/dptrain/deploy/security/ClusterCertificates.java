package dptrain.deploy.security;

import dptrain.deploy.launch.Host;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A cluster's certificate authority and one key and certificate per host, as PKCS#12 stores
 * for Artery's TLS: {@code OUT/ca/} holds the CA's key (keep it off the cluster's hosts) and
 * {@code OUT/HOST/} what that host needs and nothing else: {@code node.p12} (its key and
 * certificate chain), {@code trust.p12} (the CA's certificate) and {@code password} (of both
 * stores, random). Every file and folder is readable by its owner alone. A host's certificate
 * names the host and its address (DNS and IP subject alternative names), so peers can verify
 * the host they dial, and serves both ends of a connection (mutual TLS). Keys are EC P-256.
 * An existing CA is reused, and an existing host folder is kept, so hosts can be added later.
 */
public final class ClusterCertificates {
  public static final String CA_FOLDER = "ca";
  public static final String NODE_STORE = "node.p12";
  public static final String TRUST_STORE = "trust.p12";
  public static final String PASSWORD = "password";
  static final String CA_STORE = "ca.p12";
  static final String NODE_ALIAS = "node";
  static final String CA_ALIAS = "ca";
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");
  /** Certificates count from a little before now, so that clocks a few minutes apart agree they are valid. */
  private static final Duration CLOCK_SLACK = Duration.ofHours(1);

  /** What became of one host. */
  public record Issued(Host host, Path folder, boolean created) {}

  private final Path out;
  private final Clock clock;
  private final Duration validity;
  private final SecureRandom random = new SecureRandom();

  public ClusterCertificates(Path out, Clock clock, Duration validity) {
    this.out = out;
    this.clock = clock;
    this.validity = validity;
  }

  /** Makes (or reuses) the CA, then a folder for every host that has none yet. */
  public List<Issued> issue(List<Host> hosts) throws IOException, GeneralSecurityException {
    Authority ca = authority();
    List<Issued> issued = new ArrayList<>();
    for (Host host : hosts) {
      Path folder = out.resolve(host.name());
      if (Files.exists(folder.resolve(NODE_STORE))) {
        issued.add(new Issued(host, folder, false));
        continue;
      }
      issueHost(ca, host, folder);
      issued.add(new Issued(host, folder, true));
    }
    return issued;
  }

  private record Authority(PrivateKey key, X509Certificate certificate) {}

  private Authority authority() throws IOException, GeneralSecurityException {
    Path folder = out.resolve(CA_FOLDER);
    Path store = folder.resolve(CA_STORE);
    if (Files.exists(store)) {
      char[] password = readPassword(folder.resolve(PASSWORD));
      KeyStore keys = load(store, password);
      return new Authority((PrivateKey) keys.getKey(CA_ALIAS, password), (X509Certificate) keys.getCertificate(CA_ALIAS));
    }
    OwnerOnlyFiles.createFolder(out);
    OwnerOnlyFiles.createFolder(folder);
    KeyPair pair = keyPair();
    // A random name per CA: a certificate from another cluster's CA never matches this one by name alone.
    X500Name name = new X500Name("CN=dptrain cluster CA " + new BigInteger(64, random).toString(16));
    X509v3CertificateBuilder builder = builder(name, name, pair);
    var extensions = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
    X509Certificate certificate = sign(builder, pair.getPrivate());
    char[] password = newPassword(folder.resolve(PASSWORD));
    KeyStore keys = emptyStore();
    keys.setKeyEntry(CA_ALIAS, pair.getPrivate(), password, new Certificate[] {certificate});
    save(keys, store, password);
    OwnerOnlyFiles.write(folder.resolve("ca.crt"), pem(certificate));
    return new Authority(pair.getPrivate(), certificate);
  }

  private void issueHost(Authority ca, Host host, Path folder) throws IOException, GeneralSecurityException {
    OwnerOnlyFiles.createFolder(folder);
    KeyPair pair = keyPair();
    X509v3CertificateBuilder builder = builder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
        new X500Name("CN=" + host.name()), pair);
    var extensions = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(host));
    builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
    builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca.certificate()));
    X509Certificate certificate = sign(builder, ca.key());
    char[] password = newPassword(folder.resolve(PASSWORD));
    KeyStore node = emptyStore();
    node.setKeyEntry(NODE_ALIAS, pair.getPrivate(), password, new Certificate[] {certificate, ca.certificate()});
    save(node, folder.resolve(NODE_STORE), password);
    KeyStore trust = emptyStore();
    trust.setCertificateEntry(CA_ALIAS, ca.certificate());
    save(trust, folder.resolve(TRUST_STORE), password);
  }

  /** The host's name, and its address as an IP or a DNS name. */
  private static GeneralNames alternativeNames(Host host) throws IOException {
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.dNSName, host.name()));
    String ip = canonicalIp(host.address());
    if (ip != null) {
      names.add(new GeneralName(GeneralName.iPAddress, ip));
    } else if (!host.address().equals(host.name())) {
      names.add(new GeneralName(GeneralName.dNSName, host.address()));
    }
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  /** An IP literal in its canonical form (parsed without a lookup); null for a DNS name. */
  static String canonicalIp(String text) {
    if (!IP_LITERAL.matcher(text).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(text).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair) {
    Instant now = clock.instant();
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, random).add(BigInteger.ONE),
        Date.from(now.minus(CLOCK_SLACK)), Date.from(now.plus(validity)), subject, pair.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with " + SIGNATURE + ": " + e.getMessage(), e);
    }
  }

  private KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    return generator.generateKeyPair();
  }

  private char[] newPassword(Path file) throws IOException {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    OwnerOnlyFiles.write(file, password.getBytes(StandardCharsets.US_ASCII));
    return password.toCharArray();
  }

  static char[] readPassword(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII).strip().toCharArray();
  }

  static KeyStore load(Path store, char[] password) throws IOException, GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, password);
    }
    return keys;
  }

  private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    return keys;
  }

  private static void save(KeyStore keys, Path file, char[] password) throws IOException, GeneralSecurityException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    keys.store(bytes, password);
    OwnerOnlyFiles.write(file, bytes.toByteArray());
  }

  private static byte[] pem(X509Certificate certificate) throws GeneralSecurityException {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded());
    return ("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
  }
}
