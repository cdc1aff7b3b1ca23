package dptrain.deploy.security;

import akka.actor.ActorSystem;
import akka.remote.artery.tcp.ConfigSSLEngineProvider;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Artery's TLS engines from {@code akka.remote.artery.ssl.config-ssl-engine}, with every
 * refused peer logged on the refusing node's side: Akka's own provider leaves a failed inbound
 * handshake unlogged, so a node of another cluster knocking at a coordinator left no trace
 * there. A peer's certificate chain that fails the trust check is logged with its subject and
 * issuer; any other handshake failure of an inbound connection (no TLS, no certificate, a peer
 * that refused this node's certificate) by what it means.
 */
public final class AuditedSslEngineProvider extends ConfigSSLEngineProvider {
  public AuditedSslEngineProvider(ActorSystem system) {
    super(system);
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    // The port is the configured one: 0 when the node picked a free port.
    return new RefusalLoggingEngine(super.createServerSSLEngine(hostname, port), "on " + hostname + (port > 0 ? ":" + port : ""));
  }

  @Override
  public TrustManager[] trustManagers() {
    TrustManager[] managers = super.trustManagers();
    for (int i = 0; i < managers.length; i++) {
      if (managers[i] instanceof X509ExtendedTrustManager trust) {
        managers[i] = new Audited(trust);
      }
    }
    return managers;
  }

  /** The trust check, logging the chains it refuses. */
  private static final class Audited extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager trust;

    Audited(X509ExtendedTrustManager trust) {
      this.trust = trust;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      try {
        trust.checkClientTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        log("from a client", chain, e);
        throw e;
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      try {
        trust.checkServerTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        log("to " + engine.getPeerHost() + ":" + engine.getPeerPort(), chain, e);
        throw e;
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      trust.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      trust.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      trust.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      trust.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return trust.getAcceptedIssuers();
    }

    private static void log(String where, X509Certificate[] chain, CertificateException e) {
      if (chain == null || chain.length == 0) {
        RefusalLog.refused(where, e);
      } else {
        RefusalLog.refusedCertificate(where, chain[0], e);
      }
    }
  }
}
