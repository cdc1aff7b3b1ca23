package dptrain.worker.data;

/** Data that cannot be read or does not fit: the message names the file or value and what is allowed. */
public final class DataException extends RuntimeException {
  public DataException(String message) {
    super(message);
  }
}
