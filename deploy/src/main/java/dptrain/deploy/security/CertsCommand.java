package dptrain.deploy.security;

import dptrain.deploy.UsageException;
import dptrain.deploy.launch.HostsFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dptrain certs}: the cluster's CA and every host's key and certificate, for Artery's mutual TLS. */
@Command(name = "certs", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Creates the cluster's certificate authority in OUT/ca (keep it off the",
        "cluster's hosts) and, per host of the hosts file, OUT/HOST with node.p12",
        "(its key and a certificate naming the host and its address), trust.p12",
        "(the CA's certificate) and password (of both stores), each readable by",
        "its owner alone. Copy OUT/HOST to that host; its node takes --tls OUT/HOST.",
        "Run again with more hosts in the file to add them: the CA and the",
        "existing hosts' folders are kept.",
        "",
        "Example:",
        "  dptrain certs --hosts hosts.txt --out certs",
        "  rsync -a certs/w1 w1:certs/   # then on w1: dptrain worker --tls certs/w1 ...",
        ""})
public final class CertsCommand implements Callable<Integer> {
  @Option(names = "--hosts", required = true, paramLabel = "FILE",
      description = "The hosts file: one 'NAME ADDRESS ROLE[,ROLE..] [slots=N] [port=P]' per line.")
  Path hosts;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the CA and the hosts' folders go.")
  Path out;

  @Option(names = "--validity-days", defaultValue = "825", paramLabel = "DAYS",
      description = "How long new certificates are valid (default: ${DEFAULT-VALUE}).")
  int validityDays;

  @Override
  public Integer call() throws Exception {
    if (validityDays < 1 || validityDays > 3650) {
      throw new UsageException("--validity-days must be in [1, 3650], got " + validityDays);
    }
    var certificates = new ClusterCertificates(out, Clock.systemUTC(), Duration.ofDays(validityDays));
    for (var issued : certificates.issue(HostsFile.read(hosts))) {
      System.out.println((issued.created() ? "created " : "kept    ") + issued.folder() + "  (" + issued.host().name()
          + " at " + issued.host().address() + ")");
    }
    System.out.println("CA: " + out.resolve(ClusterCertificates.CA_FOLDER) + " (its key signs new hosts: keep it off the cluster)");
    return 0;
  }
}
