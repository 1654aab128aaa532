/**
 * `waybill import epcis FILE`: each event of an EPCIS 2.0 document becomes a Waybill transaction
 * (shared/epcis: `readEpcis`, `epcisEventHash`, `mapEpcisEvent`), signed with the importer's key
 * and submitted in batches, each waited on until final. A journal beside the file records what
 * landed, so a second run after an interruption skips it; exactly once does not rest on the
 * journal, though: the chain refuses a second transaction carrying the same event hash, and the
 * importer asks the chain about every event the journal does not list.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { WaybillClient } from '@waybill/shared/client';
import {
  attachTransactions,
  epcisEventHash,
  mapEpcisEvent,
  readEpcis,
  type Directory,
  type EpcisProblem,
} from '@waybill/shared/epcis';
import { isWaybillError } from '@waybill/shared/errors';
import {
  payloadSchemas,
  txHash,
  type JsonData,
  type PayloadOf,
  type SignedTx,
  type TxType,
} from '@waybill/shared/tx';
import { txSigner } from '../native-sign.js';
import { fileDigest, loadJournal, nonceFor, saveJournal, settledOnChain } from './journal.js';

export interface ImportEpcisOptions {
  file: string;
  client: WaybillClient;
  /** The importer's key; not needed for a dry run. */
  secretKey?: Uint8Array;
  /** Map and check every event against the chain, submit nothing. */
  dryRun: boolean;
  /** Transactions per submission. */
  batch: number;
  /** Where the journal lives (default: FILE.waybill-import.json). */
  journalFile?: string;
  /**
   * Sign, submit nothing: write the document with each event's signed transaction attached to
   * this file, for a capture endpoint (`POST /epcis/capture`).
   */
  signOnly?: string;
  /** Called after each event is settled (landed, skipped or refused). */
  progress: (done: number, total: number) => void;
}

/** An event that did not land: where, and why. */
export interface ImportProblem {
  /** Position in the document's eventList; -1 for the document. */
  index: number;
  field?: string;
  code?: string;
  message: string;
}

export interface ImportSummary {
  events: number;
  /** Landed by this run (FINAL), or mapped and checked in a dry run. */
  landed: number;
  /** On chain before this run (journal or chain). */
  alreadyOnChain: number;
  problems: ImportProblem[];
}

interface Pending {
  index: number;
  eventHash: string;
  tx: SignedTx;
}

/** What the chain knows, through a node's GraphQL API, cached where it cannot change. */
class NodeDirectory implements Directory {
  private orgsByGln: Map<string, string> | undefined;

  constructor(private readonly client: WaybillClient) {}

  async orgOfGln(gln: string): Promise<string | undefined> {
    this.orgsByGln ??= await this.loadOrganizations();
    return this.orgsByGln.get(gln);
  }

  async pendingTransfer(
    epcs: readonly string[],
  ): Promise<{ hash: string; to: string } | undefined> {
    const [first] = epcs;
    if (first === undefined) return undefined;
    const { thing } = await this.client.request<{
      thing: { pendingTransfer: string | null } | null;
    }>('query ($epc: String!) { thing(epc: $epc) { pendingTransfer } }', { epc: first });
    if (!thing?.pendingTransfer) return undefined;
    const { transfer } = await this.client.request<{
      transfer: { id: string; to: string; epcs: string[]; status: string } | null;
    }>('query ($id: String!) { transfer(id: $id) { id to epcs status } }', {
      id: thing.pendingTransfer,
    });
    if (transfer?.status !== 'pending' || !sameSet(transfer.epcs, epcs)) return undefined;
    return { hash: transfer.id, to: transfer.to };
  }

  async txOfEvent(eventId: string): Promise<string | undefined> {
    return (await this.onChain(eventId))?.tx;
  }

  /** Which of these event hashes a final transaction carries: event hash → transaction hash. */
  async onChainMany(eventHashes: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < eventHashes.length; i += 1000) {
      const { epcisEvents } = await this.client.request<{
        epcisEvents: { eventHash: string; tx: string }[];
      }>('query ($hashes: [String!]!) { epcisEvents(eventHashes: $hashes) { eventHash tx } }', {
        hashes: eventHashes.slice(i, i + 1000),
      });
      for (const event of epcisEvents) found.set(event.eventHash, event.tx);
    }
    return found;
  }

  /** The transaction carrying this event hash, if one is final. */
  async onChain(eventHash: string): Promise<{ tx: string } | undefined> {
    if (!eventHash.startsWith('ni:///sha-256;')) return undefined;
    const { epcisEvent } = await this.client.request<{ epcisEvent: { tx: string } | null }>(
      'query ($hash: String!) { epcisEvent(eventHash: $hash) { tx } }',
      { hash: eventHash },
    );
    return epcisEvent ?? undefined;
  }

  private async loadOrganizations(): Promise<Map<string, string>> {
    const byGln = new Map<string, string>();
    let after: string | null = null;
    do {
      const page: {
        organizations: {
          organizations: { id: string; gln: string | null }[];
          nextCursor: string | null;
        };
      } = await this.client.request(
        'query ($after: String) { organizations(after: $after, first: 100) { organizations { id gln } nextCursor } }',
        { after },
      );
      for (const org of page.organizations.organizations) if (org.gln) byGln.set(org.gln, org.id);
      after = page.organizations.nextCursor;
    } while (after !== null);
    return byGln;
  }
}

/**
 * The directory as this import changes it: a handover mapped earlier in the document is pending
 * for the accept that follows it, before either is final.
 */
class ImportDirectory implements Directory {
  private readonly transfers = new Map<string, { hash: string; to: string }>();
  private readonly events = new Map<string, string>();

  constructor(readonly chain: NodeDirectory) {}

  orgOfGln(gln: string): Promise<string | undefined> {
    return this.chain.orgOfGln(gln);
  }

  async pendingTransfer(
    epcs: readonly string[],
  ): Promise<{ hash: string; to: string } | undefined> {
    return this.transfers.get(setKey(epcs)) ?? (await this.chain.pendingTransfer(epcs));
  }

  async txOfEvent(eventId: string): Promise<string | undefined> {
    return this.events.get(eventId) ?? (await this.chain.txOfEvent(eventId));
  }

  /** What a mapped transaction changes for the events after it. */
  note(
    type: TxType,
    payload: Record<string, unknown>,
    hash: string,
    eventHash: string,
    eventId?: string,
  ): void {
    this.events.set(eventHash, hash);
    if (eventId !== undefined) this.events.set(eventId, hash);
    if (type === 'custody.handover') {
      const { epcs, to } = payload as PayloadOf<'custody.handover'>;
      this.transfers.set(setKey(epcs), { hash, to });
    }
    if (type === 'custody.accept' || type === 'custody.reject' || type === 'custody.cancel') {
      const { transfer } = payload as PayloadOf<'custody.accept'>;
      for (const [key, pending] of this.transfers)
        if (pending.hash === transfer) this.transfers.delete(key);
    }
  }
}

function setKey(epcs: readonly string[]): string {
  return [...epcs].sort().join('\n');
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return setKey(a) === setKey(b);
}

function problemsOf(problems: readonly EpcisProblem[]): ImportProblem[] {
  return problems.map(({ index, field, message }) => ({ index, field, message }));
}

/** Imports (or, with `dryRun`, checks) an EPCIS document; see the module comment. */
export async function importEpcis(options: ImportEpcisOptions): Promise<ImportSummary> {
  const { file, client, dryRun } = options;
  const text = readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      events: 0,
      landed: 0,
      alreadyOnChain: 0,
      problems: [{ index: -1, message: `${file} is not JSON: ${String(error)}` }],
    };
  }
  const { events, problems: unreadable } = readEpcis(parsed);
  const problems = problemsOf(unreadable);
  const total = events.length;
  const { chainId } = await client.chain();
  const journalFile = options.journalFile ?? `${file}.waybill-import.json`;
  const journal = loadJournal(journalFile, fileDigest(text), chainId);
  const chain = new NodeDirectory(client);
  const directory = new ImportDirectory(chain);
  const summary: ImportSummary = { events: total, landed: 0, alreadyOnChain: 0, problems };
  let done = 0;
  let batch: Pending[] = [];
  const signed = new Map<number, SignedTx>();
  let signTx: ReturnType<typeof txSigner> | undefined;

  const settled = (count = 1) => {
    done += count;
    options.progress(done, total);
  };

  const flush = async () => {
    if (batch.length === 0) return;
    const sent = batch;
    batch = [];
    const results = await client.submitMany(
      sent.map((p) => p.tx),
      { waitFinal: true },
    );
    for (const result of results) {
      const pending = sent[result.index] as Pending;
      if (result.status === 'FINAL') {
        journal.landed[pending.eventHash] = txHash(pending.tx);
        summary.landed++;
      } else {
        // DUPLICATE: an interrupted run submitted this very transaction, which may still be
        // pending; ALREADY_EXISTS: another transaction carries the event. Either way the chain
        // says which transaction landed it.
        if (result.code === 'DUPLICATE') await settledOnChain(client, txHash(pending.tx));
        const earlier = await chain.onChain(pending.eventHash);
        if (earlier) {
          journal.landed[pending.eventHash] = earlier.tx;
          summary.alreadyOnChain++;
        } else {
          summary.problems.push({
            index: pending.index,
            ...(result.path !== undefined && { field: result.path }),
            code: result.code ?? result.status,
            message: result.message ?? `ended ${result.status}`,
          });
        }
      }
    }
    if (!dryRun && options.signOnly === undefined) saveJournal(journalFile, journal);
    settled(sent.length);
  };

  // What is on chain already, asked once per thousand events rather than once per event. A
  // signed document for a capture endpoint keeps every event (a landed one is then a DUPLICATE).
  const hashes = events.map((captured) => epcisEventHash(captured.event));
  const landedBefore =
    options.signOnly === undefined
      ? await chain.onChainMany(hashes.filter((hash) => journal.landed[hash] === undefined))
      : new Map<string, string>();

  for (const [i, captured] of events.entries()) {
    const eventHash = hashes[i] as string;
    const eventId = typeof captured.event.eventID === 'string' ? captured.event.eventID : undefined;
    const known =
      options.signOnly === undefined
        ? (journal.landed[eventHash] ?? landedBefore.get(eventHash))
        : undefined;
    if (known !== undefined) {
      journal.landed[eventHash] = known;
      summary.alreadyOnChain++;
      settled();
      continue;
    }
    const mapped = await mapEpcisEvent(captured, eventHash, directory);
    if (!mapped.ok) {
      summary.problems.push(...problemsOf(mapped.problems));
      settled();
      continue;
    }
    const { type, payload } = mapped.tx;
    try {
      payloadSchemas[type].parse(payload, '$.payload');
    } catch (error) {
      if (!isWaybillError(error)) throw error;
      summary.problems.push({
        index: captured.index,
        ...(error.path !== undefined && { field: error.path }),
        code: error.code,
        message: error.message,
      });
      settled();
      continue;
    }
    if (dryRun) {
      directory.note(type, payload, nonceFor(eventHash).repeat(2), eventHash, eventId);
      summary.landed++;
      settled();
      continue;
    }
    if (options.secretKey === undefined) throw new Error('importEpcis: a key is needed to submit');
    signTx ??= txSigner(chainId, options.secretKey);
    const tx = signTx(type, payload as never, nonceFor(eventHash)) as SignedTx;
    directory.note(type, payload, txHash(tx), eventHash, eventId);
    if (options.signOnly !== undefined) {
      signed.set(captured.index, tx);
      summary.landed++;
      settled();
      continue;
    }
    batch.push({ index: captured.index, eventHash, tx });
    if (batch.length >= options.batch) await flush();
  }
  await flush();
  if (options.signOnly !== undefined) {
    // Written aside and renamed: a signed document is whole or absent.
    const signedDocument = attachTransactions(parsed as JsonData, signed);
    writeFileSync(`${options.signOnly}.tmp`, `${JSON.stringify(signedDocument, null, 2)}\n`);
    renameSync(`${options.signOnly}.tmp`, options.signOnly);
  }
  return summary;
}
