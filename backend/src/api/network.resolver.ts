/**
 * The node's place in the network, for operators: its peer id and addresses, the peers it is
 * connected to, and where consensus stands on this node.
 */
import { Inject } from '@nestjs/common';
import { Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { CONSENSUS_ENGINE, type ConsensusEngine } from '../consensus/engine.js';
import { P2pService } from '../p2p/p2p.service.js';

@ObjectType()
export class PeerModel {
  @Field()
  peerId!: string;

  @Field({ description: 'The remote address of the connection.' })
  address!: string;

  @Field({ description: '"inbound" or "outbound".' })
  direction!: string;

  @Field(() => Int, { nullable: true, description: 'Round-trip time, when measured.' })
  latencyMs?: number | undefined;
}

@ObjectType()
export class ConsensusStatusModel {
  @Field({ description: '"authority" (votes) or "observer" (follows).' })
  mode!: string;

  @Field(() => Int, { description: 'The height being decided.' })
  height!: number;

  @Field(() => Int)
  round!: number;

  @Field({ description: '"propose", "prevote" or "precommit".' })
  step!: string;

  @Field(() => Int, { description: 'The round this node is locked on, or -1.' })
  lockedRound!: number;
}

@ObjectType()
export class NetworkModel {
  @Field()
  peerId!: string;

  @Field(() => [String])
  listenAddresses!: string[];

  @Field(() => [PeerModel])
  peers!: PeerModel[];

  @Field(() => ConsensusStatusModel)
  consensus!: ConsensusStatusModel;
}

@Resolver()
export class NetworkResolver {
  constructor(
    private readonly p2p: P2pService,
    @Inject(CONSENSUS_ENGINE) private readonly engine: ConsensusEngine,
  ) {}

  @Query(() => NetworkModel, { description: "This node's peers and consensus state." })
  network(): NetworkModel {
    const status = this.engine.status;
    return {
      peerId: this.p2p.peerId,
      listenAddresses: this.p2p.listenAddresses,
      peers: this.p2p.peers().map((p) => ({
        peerId: p.peerId,
        address: p.address,
        direction: p.direction,
        ...(p.latencyMs !== undefined && { latencyMs: Math.round(p.latencyMs) }),
      })),
      consensus: {
        mode: this.engine.mode,
        height: status.height,
        round: status.round,
        step: status.step,
        lockedRound: status.lockedRound,
      },
    };
  }
}
