package dptrain.deploy.launch;

import java.util.List;

/**
 * One host of a cluster as its hosts file names it: a name (its certificate's and its folder's),
 * the address the node binds and the others dial, its roles, its slots (compute lanes of a
 * worker) and the port its node listens on.
 */
public record Host(String name, String address, List<HostRole> roles, int slots, int port) {
  public Host {
    roles = List.copyOf(roles);
  }

  public boolean has(HostRole role) {
    return roles.contains(role);
  }
}
