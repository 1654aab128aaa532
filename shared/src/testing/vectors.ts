/**
 * The protocol's test vectors, computed by the protocol's own code from fixed keys and nonces.
 * `scripts/generate-vectors.mjs` writes them to `test/vectors/protocol.json`; a test recomputes
 * them and fails on any difference, so a change to a byte of the protocol cannot go unnoticed.
 */
import {
  blockHash,
  createCommitCertificate,
  signVote,
  validatorsHash,
  voteHash,
  type BlockHeader,
  type Vote,
  refusalHash,
  txRootOf,
} from '../block/index.js';
import { canonicalize } from '../encoding/index.js';
import { itemEpc, lotEpc, unitEpc } from '../gs1/index.js';
import { inclusionProofs, merkleRoot } from '../merkle/index.js';
import { createTx, txHash, type PayloadOf, type TxType } from '../tx/index.js';
import { TEST_GTINS, testKey, withCheckDigit } from './index.js';

const CHAIN_ID = 'waybill-vectors';
const T = '2026-11-23T12:00:00.000Z';
const H = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

/** One valid payload of every transaction type. */
export function samplePayloads(): { [K in TxType]: PayloadOf<K> } {
  const milk = TEST_GTINS.milk;
  const gln = withCheckDigit('950600000101');
  const sscc = withCheckDigit('10950600000000001');
  return {
    'org.register': {
      orgId: 'acme',
      name: 'Acme Dairy',
      roles: ['manufacturer'],
      gln: withCheckDigit('950600000001'),
      admin: testKey('acme-admin').publicKey,
    },
    'org.update': { orgId: 'acme', name: 'Acme Dairy B.V.' },
    'member.add': {
      orgId: 'acme',
      publicKey: testKey('acme-staff').publicKey,
      role: 'staff',
      label: 'Dock scanner 3',
    },
    'member.revoke': {
      orgId: 'acme',
      publicKey: testKey('acme-staff').publicKey,
      reason: 'device lost',
    },
    'authority.vote': {
      action: 'add',
      authority: testKey('authority-4').publicKey,
      name: 'Port authority',
    },
    'product.define': {
      gtin: milk,
      name: 'Whole milk 1 L',
      brand: 'Acme',
      conditions: [{ type: 'gs1:Temperature', uom: 'CEL', min: '2', max: '6' }],
    },
    'product.commission': {
      gtin: milk,
      serials: ['B1', 'B2'],
      lot: 'L7',
      expiry: '2026-12-31',
      eventTime: T,
      bizLocation: gln,
    },
    'event.observe': {
      epcs: [itemEpc(milk, 'B1')],
      eventTime: T,
      bizStep: 'inspecting',
      sensorReadings: [{ type: 'gs1:Temperature', value: '4.5', uom: 'CEL' }],
    },
    'custody.handover': { epcs: [unitEpc(sscc)], to: 'swift', eventTime: T },
    'custody.accept': { transfer: H(1), eventTime: T, bizLocation: gln },
    'custody.reject': { transfer: H(1), reason: 'damaged', eventTime: T },
    'custody.cancel': { transfer: H(1), eventTime: T },
    'ownership.transfer': { epcs: [itemEpc(milk, 'B1')], to: 'shop', eventTime: T },
    'aggregate.pack': {
      parent: unitEpc(sscc),
      children: [itemEpc(milk, 'B1'), itemEpc(milk, 'B2')],
      eventTime: T,
    },
    'aggregate.unpack': { parent: unitEpc(sscc), eventTime: T },
    transform: {
      inputs: [{ epc: lotEpc(milk, 'M1'), quantity: '400.5' }],
      outputs: [{ gtin: TEST_GTINS.cheese, lot: 'G1', quantity: '40', unit: 'EA' }],
      eventTime: T,
    },
    'recall.issue': { gtin: milk, lots: ['L7'], reason: 'Listeria found in lot L7', eventTime: T },
    'recall.close': { recall: H(2), eventTime: T },
    'product.decommission': { epcs: [itemEpc(milk, 'B1')], reason: 'sold', eventTime: T },
    'location.define': {
      gln,
      name: 'Rotterdam cold store, dock 4',
      address: { city: 'Rotterdam', country: 'NL' },
      coordinates: { latitude: '51.95', longitude: '4.05' },
    },
    'location.update': { gln, name: 'Dock 4 (north)' },
    'event.correct': {
      target: H(3),
      reason: 'incorrect_data',
      correctiveTxs: [H(4)],
      eventTime: T,
    },
    // Last, so that adding it left the nonces (and vectors) of the other types as they were.
    'authority.evidence': evidenceSample(),
  };
}

/** authority-0 precommits two different blocks at height 1, round 0. */
function evidenceSample(): PayloadOf<'authority.evidence'> {
  const authority = testKey('authority-0');
  const vote: Vote = {
    type: 'precommit',
    chainId: CHAIN_ID,
    height: 1,
    round: 0,
    blockHash: H(7),
    validator: authority.publicKey,
  };
  return {
    first: signVote(vote, authority.secretKey),
    second: signVote({ ...vote, blockHash: H(8) }, authority.secretKey),
  };
}

export function buildVectors() {
  const signer = testKey('vector-signer');
  const payloads = samplePayloads();
  const transactions = (Object.keys(payloads) as TxType[]).map((type, i) => {
    const tx = createTx({
      chainId: CHAIN_ID,
      type,
      payload: payloads[type],
      secretKey: signer.secretKey,
      nonce: i.toString(16).padStart(32, '0'),
    });
    const { signature, ...unsigned } = tx;
    return {
      type,
      tx,
      signingInput: `waybill/tx/v1\u0000${canonicalize(unsigned)}`,
      txHash: txHash(tx),
      signature,
    };
  });
  const authorities = [0, 1, 2, 3].map((i) => testKey(`authority-${i}`));
  const validators = authorities.map((a) => a.publicKey);
  const header: BlockHeader = {
    chainId: CHAIN_ID,
    height: 1,
    round: 0,
    timestamp: T,
    prevHash: H(5),
    txRoot: merkleRoot(transactions.map((t) => t.txHash)),
    stateRoot: H(6),
    validatorsHash: validatorsHash(validators),
    proposer: [...validators].sort()[1] as string,
  };
  const hash = blockHash(header);
  const vote: Vote = {
    type: 'precommit',
    chainId: CHAIN_ID,
    height: 1,
    round: 0,
    blockHash: hash,
    validator: validators[0] as string,
  };
  const votes = authorities.map((a) => signVote({ ...vote, validator: a.publicKey }, a.secretKey));
  const merkle = Array.from({ length: 17 }, (_, i) => {
    const leaves = Array.from({ length: i + 1 }, (_, j) => H(j + 16));
    return { leaves, root: merkleRoot(leaves), proofs: inclusionProofs(leaves) };
  });
  return {
    description:
      'Waybill protocol v1 test vectors; regenerate with `pnpm --filter @waybill/shared vectors`.',
    keys: {
      signer: signer.publicKey,
      authorities: validators,
      derivation: 'secret = sha256("waybill-test-key:" + name)',
    },
    transactions,
    block: { header, canonical: canonicalize(header), blockHash: hash },
    vote: { vote, voteHash: voteHash(vote), signature: votes[0]?.signature },
    commitCertificate: createCommitCertificate({
      chainId: CHAIN_ID,
      height: 1,
      round: 0,
      blockHash: hash,
      votes,
      validators,
    }),
    merkle: { empty: merkleRoot([]), trees: merkle },
    refusal: refusalVector(transactions.map((t) => t.txHash)),
  };
}

/** A block that applies all but the last transaction and records the last one's refusal. */
function refusalVector(hashes: readonly string[]) {
  const applied = hashes.slice(0, -1);
  const refusal = { hash: hashes[hashes.length - 1] as string, code: 'NOT_FOUND' };
  return {
    applied,
    refusal,
    refusalHash: refusalHash(refusal),
    txRoot: txRootOf(applied, [refusal]),
  };
}
