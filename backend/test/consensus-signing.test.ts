/** The authority's signer and its on-disk memory of what it signed. */
import { mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signProposal, signVote, verifyProposal, verifyVote } from '@waybill/shared/block';
import { testKey } from '@waybill/shared/testing';
import { authoritySigner } from '../src/consensus/authority-signer.js';
import { FileSignatureRecord } from '../src/consensus/signature-record.js';
import { GuardedSigner } from '../src/consensus/tendermint/guarded-signer.js';

const key = testKey('signing-authority');
const vote = {
  type: 'precommit' as const,
  chainId: 'signing',
  height: 9,
  round: 1,
  blockHash: 'cd'.repeat(32),
  validator: key.publicKey,
};
const proposal = {
  chainId: 'signing',
  height: 9,
  round: 1,
  blockHash: 'cd'.repeat(32),
  validRound: 0,
  proposer: key.publicKey,
};

describe('authoritySigner (OpenSSL)', () => {
  const signer = authoritySigner(key);

  it('signs exactly what the shared (noble) signer signs', () => {
    expect(signer.signVote(vote)).toEqual(signVote(vote, key.secretKey));
    expect(signer.signVote({ ...vote, blockHash: null })).toEqual(
      signVote({ ...vote, blockHash: null }, key.secretKey),
    );
    expect(signer.signProposal(proposal)).toEqual(signProposal(proposal, key.secretKey));
    expect(verifyVote(signer.signVote(vote))).toBe(true);
    expect(verifyProposal(signer.signProposal(proposal))).toBe(true);
  });

  it('refuses to sign for another key or a malformed message', () => {
    const other = testKey('someone-else').publicKey;
    expect(() => signer.signVote({ ...vote, validator: other })).toThrow(/another key/);
    expect(() => signer.signProposal({ ...proposal, validRound: 3 })).toThrow(/malformed/);
  });
});

describe('FileSignatureRecord', () => {
  it('remembers signatures across a restart, so the guard signs the same vote again', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'waybill-sig-')), 'signatures.log');
    const first = new GuardedSigner(authoritySigner(key), new FileSignatureRecord(file));
    const signed = first.signVote(vote);
    // "Restarted": a new record read from the file, asked to sign a conflicting vote.
    const record = new FileSignatureRecord(file);
    const again = new GuardedSigner(authoritySigner(key), record).signVote({
      ...vote,
      blockHash: null,
    });
    expect(again).toEqual(signed);
    record.close();
  });

  it('survives a torn last line and forgets pruned heights after compaction', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'waybill-sig-')), 'signatures.log');
    const record = new FileSignatureRecord(file);
    const signer = new GuardedSigner(authoritySigner(key), record);
    signer.signVote(vote);
    signer.signVote({ ...vote, height: 10 });
    record.close();
    appendFileSync(file, '{"slot":"11:0:prevote","sig');
    const reread = new FileSignatureRecord(file);
    expect(reread.get('9:1:precommit')).toBeDefined();
    expect(reread.get('10:1:precommit')).toBeDefined();
    for (let i = 0; i < 200; i++) reread.prune(10);
    expect(reread.get('9:1:precommit')).toBeUndefined();
    reread.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('10:1:precommit');
    writeFileSync(file, '');
    expect(new FileSignatureRecord(file).get('10:1:precommit')).toBeUndefined();
  });
});
