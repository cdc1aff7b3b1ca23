package dptrain.deploy.launch;

import dptrain.deploy.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A cluster's hosts file: one host per line, {@code NAME ADDRESS ROLE[,ROLE..] [slots=N]
 * [port=P]}, {@code #} to the end of a line a comment. For example:
 *
 * <pre>
 * # name   address    roles              options
 * coord    10.0.0.1   coordinator,ps
 * standby  10.0.0.2   standby
 * w1       10.0.0.3   worker,ps          slots=2
 * </pre>
 *
 * Exactly one coordinator; names and addresses are unique. Every mistake is refused with its
 * file and line.
 */
public final class HostsFile {
  /** Where a node listens unless its line says otherwise (Akka's own default). */
  public static final int DEFAULT_PORT = 25520;
  public static final int MAX_SLOTS = 64;
  /** A name is also a folder name and a certificate's DNS name: letters, digits, '-', '.', '_'. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]{0,252}");

  private HostsFile() {}

  public static List<Host> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UsageException("cannot read the hosts file " + file + ": " + e.getMessage());
    }
    return parse(file.toString(), lines);
  }

  /** The hosts of {@code lines}; {@code source} names them in messages. */
  public static List<Host> parse(String source, List<String> lines) {
    List<Host> hosts = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> endpoints = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).replaceFirst("#.*", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      String where = source + ":" + (i + 1) + ": ";
      Host host = parseLine(where, line.split("\\s+"));
      if (!names.add(host.name())) {
        throw new UsageException(where + "host name '" + host.name() + "' is used twice");
      }
      if (!endpoints.add(host.address() + ":" + host.port())) {
        throw new UsageException(where + host.address() + ":" + host.port() + " is another host's address and port too");
      }
      hosts.add(host);
    }
    long coordinators = hosts.stream().filter(h -> h.has(HostRole.COORDINATOR)).count();
    if (coordinators != 1) {
      throw new UsageException(source + ": needs exactly one host with the coordinator role, has " + coordinators);
    }
    return List.copyOf(hosts);
  }

  private static Host parseLine(String where, String[] words) {
    if (words.length < 3) {
      throw new UsageException(where + "expected 'NAME ADDRESS ROLE[,ROLE..] [slots=N] [port=P]', got '"
          + String.join(" ", words) + "'");
    }
    if (!NAME.matcher(words[0]).matches()) {
      throw new UsageException(where + "host name '" + words[0] + "' may hold only letters, digits, '.', '-' and '_' "
          + "(at most 63, starting with a letter or digit)");
    }
    if (!ADDRESS.matcher(words[1]).matches()) {
      throw new UsageException(where + "'" + words[1] + "' is not a host address (an IP address or a DNS name)");
    }
    EnumSet<HostRole> roles = EnumSet.noneOf(HostRole.class);
    for (String word : words[2].split(",")) {
      HostRole role = HostRole.parse(word);
      if (role == null) {
        throw new UsageException(where + "unknown role '" + word + "' (allowed: " + HostRole.allowed() + ")");
      }
      roles.add(role);
    }
    if (roles.contains(HostRole.COORDINATOR) && roles.contains(HostRole.STANDBY)) {
      throw new UsageException(where + "a host is the coordinator or a standby, not both");
    }
    int slots = 1;
    int port = DEFAULT_PORT;
    for (int w = 3; w < words.length; w++) {
      String[] option = words[w].split("=", 2);
      if (option.length != 2) {
        throw new UsageException(where + "expected KEY=VALUE after the roles, got '" + words[w] + "' (keys: slots, port)");
      }
      switch (option[0]) {
        case "slots" -> slots = number(where, "slots", option[1], 1, MAX_SLOTS);
        case "port" -> port = number(where, "port", option[1], 1, 65_535);
        default -> throw new UsageException(where + "unknown key '" + option[0] + "' (keys: slots, port)");
      }
    }
    return new Host(words[0], words[1], List.copyOf(roles), slots, port);
  }

  private static int number(String where, String key, String text, int min, int max) {
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new UsageException(where + key + " must be a whole number in [" + min + ", " + max + "], got '" + text + "'");
  }
}
