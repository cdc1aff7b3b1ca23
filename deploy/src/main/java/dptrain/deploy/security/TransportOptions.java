package dptrain.deploy.security;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dptrain.deploy.UsageException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * How a node of a multi-host cluster talks to the others: Artery over mutual TLS with
 * {@code --tls DIR}, the default and the only choice for an address other hosts can reach;
 * plain TCP on loopback (one machine: nothing crosses a network), or with {@code --insecure},
 * which says so in a warning.
 */
public final class TransportOptions {
  @Option(names = "--tls", paramLabel = "DIR", description = {
      "This host's folder from 'dptrain certs' (node.p12, trust.p12, password): remoting over TLS 1.3",
      "with mutual authentication; only nodes with a certificate from the same CA can connect.",
      "Required for any address but loopback unless --insecure."})
  Path tls;

  @Option(names = "--insecure", description = {
      "Run remoting over plain TCP on a non-loopback address: unencrypted, and any process that",
      "reaches the port can join the cluster. Prints a warning."})
  boolean insecure;

  @Option(names = "--bind-port", paramLabel = "PORT", description = {
      "Listen on this port while telling the cluster --port: for a relay or port forward in front of",
      "the node on the same address ('dptrain launch --link-latency' puts one there)."})
  Integer bindPort;

  /** The settings for a node bound to {@code host}; refuses a reachable address without TLS or --insecure. */
  public Config settings(String host) {
    Config security = securitySettings(host);
    if (bindPort == null) {
      return security;
    }
    if (bindPort < 1 || bindPort > 65_535) {
      throw new UsageException("--bind-port must be 1..65535, got " + bindPort);
    }
    return ConfigFactory.parseMap(java.util.Map.of("akka.remote.artery.bind.port", bindPort)).withFallback(security);
  }

  private Config securitySettings(String host) {
    if (tls != null && insecure) {
      throw new UsageException("--tls and --insecure contradict each other: give one");
    }
    if (tls != null) {
      NodeTls material = NodeTls.load(tls, host, Clock.systemUTC());
      System.err.println("TLS: this node is " + material.subject() + "; peers must show a certificate from the same CA");
      return material.akkaSettings();
    }
    if (insecure) {
      System.err.println("WARNING: remoting on " + host + " is unencrypted and unauthenticated (--insecure): any process"
          + " that reaches its port can join the cluster and read every message");
    } else if (!loopback(host)) {
      throw new UsageException("binding " + host + " without TLS: give --tls DIR (this host's folder from"
          + " 'dptrain certs --hosts FILE --out DIR'), or --insecure to run unencrypted");
    }
    return ConfigFactory.empty();
  }

  /** Whether {@code host} is this machine's loopback (unresolvable names are not). */
  public static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
