/**
 * The authority's memory of what it signed, in `signatures.log` beside its key: one JSON line per
 * signed vote or proposal, appended and fdatasynced before the message leaves the node, read back at
 * start, compacted now and then to the recent heights. With it, a node that is killed mid-round and
 * restarted signs the same votes again instead of new ones.
 *
 * An append and one fdatasync per signature, rather than rewriting a file: three signatures a
 * height on every authority make this a hot path.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import type { SignedProposal, SignedVote } from '@waybill/shared/block';
import type { SignatureRecord } from './tendermint/guarded-signer.js';

type Signed = SignedVote | SignedProposal;

/** Compact after this many prunes (about one per height). */
const COMPACT_EVERY = 200;

export class FileSignatureRecord implements SignatureRecord {
  private readonly slots = new Map<string, Signed>();
  private fd: number;
  private prunes = 0;

  constructor(private readonly file: string) {
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          const { slot, signed } = JSON.parse(line) as { slot: string; signed: Signed };
          this.slots.set(slot, signed);
        } catch {
          // A torn last line from a crash mid-append: that signature never left the node.
        }
      }
    }
    this.fd = openSync(file, 'a', 0o600);
  }

  get(slot: string): Signed | undefined {
    return this.slots.get(slot);
  }

  put(slot: string, signed: Signed): void {
    this.slots.set(slot, signed);
    writeSync(this.fd, `${JSON.stringify({ slot, signed })}\n`);
    fdatasyncSync(this.fd);
  }

  prune(height: number): void {
    for (const slot of this.slots.keys()) {
      if (Number(slot.slice(0, slot.indexOf(':'))) < height) this.slots.delete(slot);
    }
    if (++this.prunes >= COMPACT_EVERY) {
      this.prunes = 0;
      this.compact();
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Rewrites the log with only the kept slots: temporary file, fsync, rename. */
  private compact(): void {
    const temporary = `${this.file}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      const lines = [...this.slots].map(([slot, signed]) => JSON.stringify({ slot, signed }));
      writeSync(fd, lines.length > 0 ? `${lines.join('\n')}\n` : '');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.file);
    closeSync(this.fd);
    this.fd = openSync(this.file, 'a', 0o600);
  }
}
