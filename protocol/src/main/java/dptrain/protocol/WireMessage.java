package dptrain.protocol;

/**
 * Marks a message that may cross nodes. Akka binds every {@code WireMessage} to
 * {@link dptrain.protocol.serialization.WireSerializer}, so each of them travels as protobuf.
 */
public interface WireMessage {}
