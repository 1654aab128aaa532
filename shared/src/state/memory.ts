/** The state in a Map: for tests, simulations and the browser's bundle replay. */
import {
  AUTHORITIES_KEY,
  type Authority,
  type RecordKind,
  type RecordTypes,
  type StateChange,
  type StateReader,
} from './types.js';

export class InMemoryState implements StateReader {
  private readonly records = new Map<string, StateChange>();
  private readonly txs = new Set<string>();

  static withAuthorities(authorities: readonly Authority[]): InMemoryState {
    const state = new InMemoryState();
    state.commit(genesisChanges(authorities), []);
    return state;
  }

  get<K extends RecordKind>(kind: K, key: string): RecordTypes[K] | undefined {
    return this.records.get(`${kind}\u0000${key}`)?.value as RecordTypes[K] | undefined;
  }

  hasTx(hash: string): boolean {
    return this.txs.has(hash);
  }

  /** Writes a finalized block's changes and transaction hashes. */
  commit(changes: readonly StateChange[], txHashes: readonly string[]): void {
    for (const change of changes) this.records.set(`${change.kind}\u0000${change.key}`, change);
    for (const hash of txHashes) this.txs.add(hash);
  }

  /** Every record of a kind (tests and invariant checks). */
  all<K extends RecordKind>(kind: K): RecordTypes[K][] {
    const out: RecordTypes[K][] = [];
    for (const change of this.records.values())
      if (change.kind === kind) out.push(change.value as RecordTypes[K]);
    return out;
  }
}

/** The state a chain starts from: its genesis authorities, sorted by key. */
export function genesisChanges(authorities: readonly Authority[]): StateChange[] {
  const sorted = [...authorities].sort((a, b) =>
    a.publicKey < b.publicKey ? -1 : a.publicKey > b.publicKey ? 1 : 0,
  );
  return [
    {
      kind: 'authorities',
      key: AUTHORITIES_KEY,
      value: { authorities: sorted, votes: [], history: [] },
    },
  ];
}
