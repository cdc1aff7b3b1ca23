package dptrain.protocol.job;

/**
 * The moves of data-parallel k-means that a worker answers over its rows: the sum of squared
 * distances to the nearest centre ({@code d2}), the row where a running D^2 sum passes a target
 * ({@code pick}, k-means++ seeding), and each row's nearest centre with the per-centre sums
 * ({@code assign}, a Lloyd step). On the wire by name.
 */
public enum KMeansMove {
  D2("d2"),
  PICK("pick"),
  ASSIGN("assign");

  private final String wireName;

  KMeansMove(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The move of this name; an error that names the known ones otherwise. */
  public static KMeansMove fromWire(String name) {
    for (KMeansMove move : values()) {
      if (move.wireName.equals(name)) {
        return move;
      }
    }
    throw new IllegalArgumentException("unknown k-means move '" + name + "' (known: d2, pick, assign)");
  }
}
