package dptrain.deploy.security;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dptrain check-tls}: the checks a node makes of its TLS folder, alone (the launcher's preflight runs it on every host). */
@Command(name = "check-tls", mixinStandardHelpOptions = true,
    description = {"Checks a host's TLS folder as its node would at start: files, owner-only permissions, the password,",
        "the CA's signature, validity, and that the certificate names --host. Prints 'ok SUBJECT' or the problem."})
public final class CheckTlsCommand implements Callable<Integer> {
  @Option(names = "--tls", required = true, paramLabel = "DIR", description = "The host's folder from 'dptrain certs'.")
  Path tls;

  @Option(names = "--host", required = true, description = "The address the node binds and the others dial.")
  String host;

  @Override
  public Integer call() {
    System.out.println("ok " + NodeTls.load(tls, host, Clock.systemUTC()).subject());
    return 0;
  }
}
