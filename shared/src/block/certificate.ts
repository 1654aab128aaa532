/**
 * Commit certificates: the quorum of precommits that makes a block final. Each signature is over
 * the vote `{ type: "precommit", chainId, height, round, blockHash, validator }`; the certificate
 * stores only the validator and signature because everything else is shared.
 */
import { verifyStrict } from '../crypto/index.js';
import type { SignatureVerifier } from '../crypto/index.js';
import { WaybillError } from '../errors.js';
import { isCount, isHashHex, isKeyHex, isRecord, isSignatureHex, unknownKey } from './fields.js';
import { blockHash as hashOfBlock } from './hash.js';
import { quorum, sortValidators } from './validators.js';
import { verifyVote } from './vote.js';
import type { BlockHeader, CommitCertificate, CommitSignature, SignedVote } from './types.js';

function tally(signed: number, total: number, needed: number): string {
  return `${signed} of ${total} authorities signed, quorum is ${needed}`;
}

function byValidator(a: CommitSignature, b: CommitSignature): number {
  return a.validator < b.validator ? -1 : a.validator > b.validator ? 1 : 0;
}

export interface CreateCommitCertificateOptions {
  readonly chainId: string;
  readonly height: number;
  readonly round: number;
  readonly blockHash: string;
  /** Votes as gathered from the network: anything that is not a valid matching precommit is skipped. */
  readonly votes: readonly SignedVote[];
  /** When given, votes from keys outside the set are skipped and a certificate short of quorum throws. */
  readonly validators?: readonly string[];
  readonly verifier?: SignatureVerifier;
}

/**
 * Builds the certificate from gathered votes: valid precommits for exactly this chain, height,
 * round and block, one per validator, sorted by key so every node stores the same bytes.
 * Throws INVALID_CERTIFICATE when none qualify or, given the validator set, when short of quorum.
 */
export function createCommitCertificate(
  options: CreateCommitCertificateOptions,
): CommitCertificate {
  const { chainId, height, round, blockHash, votes, validators, verifier = verifyStrict } = options;
  if (!isHashHex(blockHash)) {
    throw new WaybillError(
      'INVALID_CERTIFICATE',
      'a commit certificate is for a block hash, 64 lowercase hex characters',
      { path: '$.blockHash' },
    );
  }
  const members = validators && new Set(sortValidators(validators));
  const kept = new Map<string, CommitSignature>();
  for (const vote of votes) {
    const matches =
      vote.type === 'precommit' &&
      vote.chainId === chainId &&
      vote.height === height &&
      vote.round === round &&
      vote.blockHash === blockHash;
    if (!matches || kept.has(vote.validator)) continue;
    if (members && !members.has(vote.validator)) continue;
    if (!verifyVote(vote, verifier)) continue;
    kept.set(vote.validator, { validator: vote.validator, signature: vote.signature });
  }
  const signatures = [...kept.values()].sort(byValidator);
  if (members) {
    const needed = quorum(members.size);
    if (signatures.length < needed) {
      throw new WaybillError(
        'INVALID_CERTIFICATE',
        `not enough precommits for block ${blockHash}: ${tally(signatures.length, members.size, needed)}`,
        { signed: signatures.length, total: members.size, quorum: needed },
      );
    }
  } else if (signatures.length === 0) {
    throw new WaybillError(
      'INVALID_CERTIFICATE',
      `no valid precommit for block ${blockHash} at height ${height}, round ${round}`,
    );
  }
  return { height, round, blockHash, signatures };
}

/**
 * What the certificate must certify. With a header, the block hash and height come from it and the
 * certificate's round may be later than the header's: Tendermint re-proposes a locked block
 * unchanged in later rounds, so a block proposed in round r can be committed in round r' >= r.
 * With an explicit hash, a given round must match exactly.
 */
export type CertificateTarget =
  | { readonly header: BlockHeader }
  | { readonly blockHash: string; readonly height: number; readonly round?: number };

export type VerifyCommitCertificateOptions = {
  /** Typed, but checked as untrusted input: it usually arrives over the network or in a bundle. */
  readonly certificate: CommitCertificate;
  readonly chainId: string;
  /** The validator set of the certified height (the one its header's validatorsHash names). */
  readonly validators: readonly string[];
  readonly verifier?: SignatureVerifier;
} & CertificateTarget;

export type CertificateCheck =
  | {
      readonly ok: true;
      readonly signed: number;
      readonly total: number;
      readonly quorum: number;
      /** Such as "3 of 4 authorities signed, quorum is 3", for explorers and the CLI. */
      readonly summary: string;
    }
  | {
      readonly ok: false;
      readonly code: 'INVALID_CERTIFICATE';
      readonly reason: string;
      /** JSON path inside the certificate, when one part of it is at fault. */
      readonly path?: string;
      /** The key at fault, when one is. */
      readonly validator?: string;
    };

type Failure = Extract<CertificateCheck, { ok: false }>;

function refuse(reason: string, extra: { path?: string; validator?: string } = {}): Failure {
  return { ok: false, code: 'INVALID_CERTIFICATE', reason, ...extra };
}

const CERTIFICATE_KEYS: ReadonlySet<string> = new Set([
  'height',
  'round',
  'blockHash',
  'signatures',
]);
const SIGNATURE_KEYS: ReadonlySet<string> = new Set(['validator', 'signature']);

function shapeFailure(certificate: unknown): Failure | undefined {
  if (!isRecord(certificate)) return refuse('a commit certificate must be a JSON object');
  const extra = unknownKey(certificate, CERTIFICATE_KEYS);
  if (extra !== undefined)
    return refuse(`unknown certificate field "${extra}"`, { path: `$.${extra}` });
  if (!isCount(certificate.height)) {
    return refuse('certificate height must be a non-negative safe integer', { path: '$.height' });
  }
  if (!isCount(certificate.round)) {
    return refuse('certificate round must be a non-negative safe integer', { path: '$.round' });
  }
  if (!isHashHex(certificate.blockHash)) {
    return refuse('certificate blockHash must be 64 lowercase hex characters', {
      path: '$.blockHash',
    });
  }
  if (!Array.isArray(certificate.signatures)) {
    return refuse('certificate signatures must be an array', { path: '$.signatures' });
  }
  for (const [i, entry] of (certificate.signatures as unknown[]).entries()) {
    const path = `$.signatures[${i}]`;
    const wellFormed =
      isRecord(entry) &&
      unknownKey(entry, SIGNATURE_KEYS) === undefined &&
      isKeyHex(entry.validator) &&
      isSignatureHex(entry.signature);
    if (!wellFormed) {
      return refuse(`signature ${i} must be exactly { validator: 64 hex, signature: 128 hex }`, {
        path,
      });
    }
  }
  return undefined;
}

/**
 * Checks that `certificate` makes the target block final: it is for that block, height and round,
 * every signer is in the validator set and signs once, the count reaches quorum and every
 * signature is a valid precommit. Cheap checks run first, so a junk certificate costs no
 * signature verification. Never throws.
 */
export function verifyCommitCertificate(options: VerifyCommitCertificateOptions): CertificateCheck {
  const { certificate, chainId, verifier = verifyStrict } = options;
  const malformed = shapeFailure(certificate);
  if (malformed) return malformed;
  const { height, round, signatures } = certificate;

  let expectedHash: string;
  if ('header' in options) {
    const { header } = options;
    if (header.chainId !== chainId) {
      return refuse(`the header is for chain "${header.chainId}", not "${chainId}"`);
    }
    if (height !== header.height) {
      return refuse(
        `certificate is for height ${height}, the block is at height ${header.height}`,
        {
          path: '$.height',
        },
      );
    }
    if (round < header.round) {
      return refuse(
        `certificate round ${round} is before round ${header.round}, in which the block was proposed`,
        { path: '$.round' },
      );
    }
    expectedHash = hashOfBlock(header);
  } else {
    if (height !== options.height) {
      return refuse(`certificate is for height ${height}, expected height ${options.height}`, {
        path: '$.height',
      });
    }
    if (options.round !== undefined && round !== options.round) {
      return refuse(`certificate is for round ${round}, expected round ${options.round}`, {
        path: '$.round',
      });
    }
    expectedHash = options.blockHash;
  }
  if (certificate.blockHash !== expectedHash) {
    return refuse(`certificate is for block ${certificate.blockHash}, not ${expectedHash}`, {
      path: '$.blockHash',
    });
  }

  const members = sortValidators(options.validators);
  if (members.length === 0) return refuse('the validator set is empty');
  const memberSet = new Set(members);
  const seen = new Set<string>();
  for (const [i, { validator }] of signatures.entries()) {
    const path = `$.signatures[${i}]`;
    if (!memberSet.has(validator)) {
      return refuse(`signer ${validator} is not in the validator set`, { path, validator });
    }
    if (seen.has(validator)) {
      return refuse(`signer ${validator} appears more than once`, { path, validator });
    }
    seen.add(validator);
  }

  const needed = quorum(members.length);
  const summary = tally(seen.size, members.length, needed);
  if (seen.size < needed) return refuse(summary);

  for (const [i, { validator, signature }] of signatures.entries()) {
    const vote: SignedVote = {
      type: 'precommit',
      chainId,
      height,
      round,
      blockHash: certificate.blockHash,
      validator,
      signature,
    };
    if (!verifyVote(vote, verifier)) {
      return refuse(
        `signature ${i} by ${validator} is not a valid precommit for block ${certificate.blockHash} on chain "${chainId}" at height ${height}, round ${round}`,
        { path: `$.signatures[${i}].signature`, validator },
      );
    }
  }
  return { ok: true, signed: seen.size, total: members.length, quorum: needed, summary };
}

/** {@link verifyCommitCertificate}, throwing INVALID_CERTIFICATE with the reason instead. */
export function assertValidCommitCertificate(
  options: VerifyCommitCertificateOptions,
): Extract<CertificateCheck, { ok: true }> {
  const check = verifyCommitCertificate(options);
  if (!check.ok) {
    const { reason, path, validator } = check;
    throw new WaybillError('INVALID_CERTIFICATE', reason, { path, validator });
  }
  return check;
}
