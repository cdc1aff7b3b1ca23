package dptrain.deploy.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.deploy.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A hosts file names each host once, with its address, roles, slots and port; every mistake names its line. */
class HostsFileTest {
  @Test
  void readsHostsWithTheirRolesSlotsAndPortsSkippingCommentsAndBlankLines() {
    var hosts = HostsFile.parse("hosts.txt", List.of(
        "# name address roles options",
        "coord   10.0.0.1  coordinator,ps",
        "",
        "standby 10.0.0.2  standby   # takes over",
        "w1      10.0.0.3  worker,ps slots=2 port=25530"));

    assertThat(hosts).containsExactly(
        new Host("coord", "10.0.0.1", List.of(HostRole.COORDINATOR, HostRole.PS), 1, HostsFile.DEFAULT_PORT),
        new Host("standby", "10.0.0.2", List.of(HostRole.STANDBY), 1, HostsFile.DEFAULT_PORT),
        new Host("w1", "10.0.0.3", List.of(HostRole.WORKER, HostRole.PS), 2, 25530));
  }

  @Test
  void refusesEachMistakeWithItsLine() {
    assertRefused(List.of("coord 10.0.0.1 coordinator", "w1 10.0.0.2 wroker"),
        "hosts.txt:2: unknown role 'wroker' (allowed: coordinator, standby, worker, ps)");
    assertRefused(List.of("coord 10.0.0.1 coordinator", "coord 10.0.0.2 worker"), "hosts.txt:2: host name 'coord' is used twice");
    assertRefused(List.of("coord 10.0.0.1 coordinator", "w1 10.0.0.1 worker"),
        "hosts.txt:2: 10.0.0.1:25520 is another host's address and port too");
    assertRefused(List.of("coord 10.0.0.1 coordinator slots=0"), "hosts.txt:1: slots must be a whole number in [1, 64], got '0'");
    assertRefused(List.of("coord 10.0.0.1 coordinator colour=red"), "hosts.txt:1: unknown key 'colour' (keys: slots, port)");
    assertRefused(List.of("coord 10.0.0.1"), "hosts.txt:1: expected 'NAME ADDRESS ROLE[,ROLE..] [slots=N] [port=P]', got 'coord 10.0.0.1'");
    assertRefused(List.of("../etc 10.0.0.1 coordinator"), "hosts.txt:1: host name '../etc' may hold only letters");
    assertRefused(List.of("c 10.0.0.1 coordinator,standby"), "hosts.txt:1: a host is the coordinator or a standby, not both");
    assertRefused(List.of("w1 10.0.0.2 worker"), "hosts.txt: needs exactly one host with the coordinator role, has 0");
  }

  private static void assertRefused(List<String> lines, String message) {
    assertThatThrownBy(() -> HostsFile.parse("hosts.txt", lines)).isInstanceOf(UsageException.class).hasMessageStartingWith(message);
  }
}
