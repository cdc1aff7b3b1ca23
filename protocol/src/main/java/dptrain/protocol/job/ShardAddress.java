package dptrain.protocol.job;

import akka.actor.typed.ActorRef;
import dptrain.protocol.ShardProtocol;

/** A parameter-server shard and the range [offset, offset + length) of the flat vector it owns. */
public record ShardAddress(ActorRef<ShardProtocol.Command> shard, long offset, long length) {}
