package dptrain.protocol.serialization;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.ByteBufferSerializer;
import akka.serialization.SerializerWithStringManifest;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dptrain.protocol.WireMessage;
import dptrain.protocol.wire.Envelope;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Akka's serializer for every {@link WireMessage}: one protobuf {@link Envelope} with a closed
 * {@code oneof}, so no class names travel. Writes straight into Artery's buffers (no
 * intermediate array for the megabytes of tensors per step). Malformed bytes are refused with a
 * {@link NotSerializableException} (Akka logs and drops the message); nothing half-built is delivered.
 */
public final class WireSerializer extends SerializerWithStringManifest implements ByteBufferSerializer {
  static final String MANIFEST = "E";
  /** Unique among the serializers of the system; Akka reserves 0 to 40. */
  static final int IDENTIFIER = 7_317_001;

  private final ExtendedActorSystem system;
  private volatile MessageEncoder encoder;
  private volatile MessageDecoder decoder;

  public WireSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object message) {
    return MANIFEST;
  }

  @Override
  public byte[] toBinary(Object message) {
    return encode(message).toByteArray();
  }

  @Override
  public void toBinary(Object message, ByteBuffer buffer) {
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(buffer);
      encode(message).writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return fromBinary(ByteBuffer.wrap(bytes), manifest);
  }

  @Override
  public Object fromBinary(ByteBuffer buffer, String manifest) throws NotSerializableException {
    if (!MANIFEST.equals(manifest)) {
      throw new NotSerializableException("unknown manifest '" + manifest + "' (expected '" + MANIFEST + "')");
    }
    int size = buffer.remaining();
    try {
      return decoder().decode(Envelope.parseFrom(buffer));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw new NotSerializableException("refused a malformed message of " + size + " bytes: " + e.getMessage());
    }
  }

  private Envelope encode(Object message) {
    if (!(message instanceof WireMessage wire)) {
      throw new IllegalArgumentException("not a wire message: " + message.getClass().getName());
    }
    return encoder().encode(wire);
  }

  // The resolver needs a running typed system, which does not exist yet when Akka builds serializers.
  private MessageEncoder encoder() {
    if (encoder == null) {
      encoder = new MessageEncoder(resolver());
    }
    return encoder;
  }

  private MessageDecoder decoder() {
    if (decoder == null) {
      decoder = new MessageDecoder(resolver());
    }
    return decoder;
  }

  private ActorRefResolver resolver() {
    return ActorRefResolver.get(Adapter.toTyped(system));
  }
}
