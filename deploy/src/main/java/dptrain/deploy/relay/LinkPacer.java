package dptrain.deploy.relay;

/**
 * One direction of a link's capacity, shared by every connection through it: bytes leave in the
 * order they are offered, each taking {@code bytes / rate} of the link, then travel for the
 * latency. Returns when a piece arrives on the far side, on the {@link System#nanoTime} clock.
 */
final class LinkPacer {
  private final LinkShape shape;
  private long linkFreeAt = Long.MIN_VALUE;

  LinkPacer(LinkShape shape) {
    this.shape = shape;
  }

  /** When {@code bytes} read at {@code readAt} arrive: after the link has carried everything offered before them. */
  synchronized long arrival(int bytes, long readAt) {
    long sent = readAt;
    if (shape.bytesPerSecond() > 0) {
      long start = Math.max(readAt, linkFreeAt);
      sent = start + (long) Math.ceil(bytes * 1e9 / shape.bytesPerSecond());
      linkFreeAt = sent;
    }
    return sent + shape.latency().toNanos();
  }
}
