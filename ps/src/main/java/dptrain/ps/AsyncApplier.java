package dptrain.ps;

import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardProtocol.GradientChunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Async and SSP: a micro-batch's piece is applied on arrival, with its own sample count and
 * learning rate, and the new values go straight back to the worker that pushed it (its pull).
 * The piece's version counts the micro-batches it has taken; staleness is how many others it
 * took since the version the gradient was computed at. When every piece here has taken the
 * micro-batch (its ticket), the Coordinator hears of it, and again when it asks (its report may
 * have been lost). A repeat (a re-sent ticket) is only answered; a NaN under a finite flag is refused and leaves the piece as it was.
 */
final class AsyncApplier implements GradientApplier {
  /** More than the tickets that can be in flight at once (two per worker). */
  private static final int RECENT_REPORTS = 256;

  /** A micro-batch's progress at this shard. */
  private static final class Ticket {
    int pieces;
    int samples;
    double loss;
    boolean skipped;
    long staleness;
    long bytes;
    long rowsDigest;
  }

  private final ShardState state;
  private final long[] pieceVersions;
  private final List<Set<Long>> pieceTickets = new ArrayList<>();
  /** Micro-batches (tickets) some but not all of whose pieces are in. */
  private final Map<Long, Ticket> tickets = new HashMap<>();
  private final RecentReports recentDone = new RecentReports(RECENT_REPORTS);

  AsyncApplier(ShardState state) {
    this.state = state;
    this.pieceVersions = new long[state.pieces.size()];
    state.pieces.forEach(piece -> pieceTickets.add(new HashSet<>()));
  }

  /** Async refusals are only counted: a silent ticket is re-sent to the next worker anyway. */
  @Override
  public void refuse(GradientChunk chunk, String why) {
    state.refuse(chunk, why, false);
  }

  @Override
  public long versionOf(int index) {
    return pieceVersions[index];
  }

  @Override
  public void onChunk(GradientChunk chunk, int wireBytes) {
    ShardPiece piece = state.pieceAt(chunk.chunk());
    if (piece == null) {
      refuse(chunk, state.misfit(chunk));
      return;
    }
    int index = state.pieces.indexOf(piece);
    if (!pieceTickets.get(index).add(chunk.step())) {
      state.sendTo(chunk.sender(), pieceVersions[index], piece.published());
      return;
    }
    long staleness = Math.max(0, pieceVersions[index] - chunk.baseVersion());
    boolean skipped = !applied(piece, index, chunk);
    pieceVersions[index]++;
    state.sendTo(chunk.sender(), pieceVersions[index], piece.published());
    Ticket ticket = tickets.computeIfAbsent(chunk.step(), t -> new Ticket());
    ticket.pieces++;
    ticket.samples = chunk.sampleCount();
    ticket.loss = chunk.lossSum();
    ticket.rowsDigest = chunk.rowsDigest();
    ticket.skipped |= skipped;
    ticket.staleness = Math.max(ticket.staleness, staleness);
    ticket.bytes += wireBytes;
    if (ticket.pieces == state.pieces.size()) {
      tickets.remove(chunk.step());
      var done = new CoordinatorProtocol.StepDone(state.spec.shard(), chunk.step(), ticket.samples, ticket.loss,
          ticket.skipped, state.spec.generation(), ticket.staleness, ticket.bytes, dptrain.protocol.StepTimes.NONE, List.of(),
          ticket.rowsDigest);
      recentDone.send(done, state);
    }
  }

  @Override
  public void onReportStep(long ticket) {
    recentDone.repeat(ticket, state);
  }

  /** Applies the micro-batch's gradient to the piece; false when it is skipped (not finite, empty, or overflowing). */
  private boolean applied(ShardPiece piece, int index, GradientChunk chunk) {
    piece.reset(1);
    if (piece.accept(0, chunk.chunk(), chunk.finite()) == ShardPiece.Acceptance.NOT_FINITE) {
      refuse(chunk, "holds NaN or Inf values although it says its gradient is finite");
      return false;
    }
    if (chunk.finite() && chunk.sampleCount() > 0 && !Double.isNaN(piece.reduce(chunk.sampleCount(), pieceVersions[index]))) {
      piece.apply(1, chunk.lr());
      return true;
    }
    return false;
  }
}
