package dptrain.deploy.security;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one line a node logs when it refuses a TLS peer, saying in words what the handshake's
 * error means: no TLS at all, no certificate, one this cluster's CA did not sign, one that expired
 * or is not valid yet, or a peer that refused this node's own certificate.
 */
final class RefusalLog {
  private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);

  private RefusalLog() {}

  static void refused(String where, Throwable cause) {
    LOG.warn("TLS: refused a connection {}: {} ({})", where, meaning(cause), cause.getMessage());
  }

  static void refusedCertificate(String where, X509Certificate leaf, Throwable cause) {
    LOG.warn("TLS: refused a connection {}: its certificate {} (issued by {}) {} ({})", where,
        leaf.getSubjectX500Principal().getName(), leaf.getIssuerX500Principal().getName(), whatIsWrong(leaf, cause),
        cause.getMessage());
  }

  /** PKIX reports an expired certificate as a failed path, like a foreign one; the cause tells them apart. */
  private static String whatIsWrong(X509Certificate leaf, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return "expired on " + leaf.getNotAfter().toInstant();
      }
      if (t instanceof CertificateNotYetValidException) {
        return "is not valid before " + leaf.getNotBefore().toInstant();
      }
    }
    return "is not signed by this cluster's CA";
  }

  static String meaning(Throwable cause) {
    String message = String.valueOf(cause.getMessage());
    if (message.contains("Unsupported or unrecognized SSL message") || message.contains("plaintext")) {
      return "the peer does not speak TLS (a node started without --tls?)";
    }
    if (message.contains("certificate_unknown") || message.contains("bad_certificate")
        || message.contains("unknown_ca")) {
      return "the peer refused this node's certificate (a node of another cluster's CA?)";
    }
    if (message.contains("certificate_required") || message.contains("Empty client certificate chain")
        || message.contains("null cert chain")) {
      return "the peer showed no certificate";
    }
    if (message.contains("PKIX") || message.contains("certification path")) {
      return "the peer's certificate is not signed by this cluster's CA";
    }
    if (message.contains("No subject alternative") || message.contains("No name matching")) {
      return "the peer's certificate does not name the address it was dialled at";
    }
    return "the TLS handshake failed";
  }
}
