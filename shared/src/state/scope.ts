/**
 * The view one transaction runs against: reads fall through to the state below, writes stay in
 * the scope (and are visible to later reads in the same transaction) until the transaction
 * succeeds. A rejected transaction's scope is simply dropped, so a transaction applies whole or
 * not at all.
 */
import { WaybillError, type RejectionCode } from '../errors.js';
import type { RecordKind, RecordTypes, StateChange, StateReader } from './types.js';

export class Rejection extends WaybillError<RejectionCode> {}

export function reject(code: RejectionCode, message: string, path?: string): never {
  throw new Rejection(code, message, path === undefined ? {} : { path });
}

export class TxScope {
  private readonly writes = new Map<string, StateChange>();

  constructor(private readonly below: StateReader) {}

  async get<K extends RecordKind>(kind: K, key: string): Promise<RecordTypes[K] | undefined> {
    const written = this.writes.get(`${kind}\u0000${key}`);
    if (written) return written.value as RecordTypes[K];
    return this.below.get(kind, key);
  }

  /** Reads a record that must exist, rejecting with NOT_FOUND at `path` otherwise. */
  async require<K extends RecordKind>(
    kind: K,
    key: string,
    path: string,
    what: string = kind,
  ): Promise<RecordTypes[K]> {
    const value = await this.get(kind, key);
    if (value === undefined) reject('NOT_FOUND', `${what} ${key} does not exist`, path);
    return value;
  }

  put<K extends RecordKind>(kind: K, key: string, value: RecordTypes[K]): void {
    const id = `${kind}\u0000${key}`;
    // Re-inserting keeps the order of first write, which is what the state root hashes.
    this.writes.set(id, { kind, key, value } as StateChange);
  }

  changes(): StateChange[] {
    return [...this.writes.values()];
  }
}
