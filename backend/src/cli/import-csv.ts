/**
 * `waybill import csv FILE`: a commissioning list (serials or lots) or a shipment list becomes
 * Waybill transactions (shared/csv), signed with the importer's key and submitted in batches, each
 * waited on until final. The same guarantees as `import epcis`: a dry run checks every row and
 * submits nothing; problems name the line and column; the journal beside the file lets a rerun
 * skip what landed, and each transaction's nonce comes from its content, so one submitted again
 * is the same transaction (a DUPLICATE), never a second commissioning or handover.
 */
import { readFileSync } from 'node:fs';
import type { WaybillClient } from '@waybill/shared/client';
import { csvToTransactions, type CsvKind, type CsvTx } from '@waybill/shared/csv';
import { txHash, type SignedTx } from '@waybill/shared/tx';
import { txSigner } from '../native-sign.js';
import type { ImportProblem, ImportSummary } from './import-epcis.js';
import { fileDigest, loadJournal, nonceFor, saveJournal, settledOnChain } from './journal.js';

export interface ImportCsvOptions {
  file: string;
  client: WaybillClient;
  secretKey?: Uint8Array;
  dryRun: boolean;
  /** Transactions per submission. */
  batch: number;
  /** `commission` or `shipment`; by default, a header with `to` is a shipment list. */
  kind?: CsvKind;
  journalFile?: string;
  /** Called as transactions settle (landed, skipped or refused). */
  progress: (done: number, total: number) => void;
}

export interface CsvImportSummary extends ImportSummary {
  kind: CsvKind;
  rows: number;
}

interface Pending {
  tx: SignedTx;
  source: CsvTx;
}

function linesOf(source: CsvTx): string {
  const { lines } = source;
  const first = lines[0] ?? 0;
  const last = lines[lines.length - 1] ?? first;
  return first === last ? `line ${first}` : `lines ${first}-${last}`;
}

/** Imports (or, with `dryRun`, checks) a CSV file; see the module comment. */
export async function importCsv(options: ImportCsvOptions): Promise<CsvImportSummary> {
  const { file, client, dryRun } = options;
  const text = readFileSync(file, 'utf8');
  const read = csvToTransactions(text, options.kind);
  // `index` of a CSV problem is its line, so the CLI prints "line 7: serial: …".
  const problems: ImportProblem[] = read.problems.map((p) => ({
    index: p.line,
    ...(p.column !== undefined && { field: p.column }),
    message: p.message,
  }));
  const summary: CsvImportSummary = {
    kind: read.kind,
    rows: read.rows,
    events: read.txs.length,
    landed: 0,
    alreadyOnChain: 0,
    problems,
  };
  const total = read.txs.length;
  const { chainId } = await client.chain();
  const journalFile = options.journalFile ?? `${file}.waybill-import.json`;
  const journal = loadJournal(journalFile, fileDigest(text), chainId);
  let done = 0;
  let batch: Pending[] = [];
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
      const { tx, source } = sent[result.index] as Pending;
      const hash = txHash(tx);
      let status = result.status;
      if (status !== 'FINAL' && result.code === 'DUPLICATE') {
        // An interrupted run submitted this very transaction: it is final, or about to be.
        await settledOnChain(client, hash);
        status = (await client.transaction(hash))?.status ?? status;
        if (status === 'FINAL') {
          journal.landed[source.key] = hash;
          summary.alreadyOnChain++;
          continue;
        }
      }
      if (status === 'FINAL') {
        journal.landed[source.key] = hash;
        summary.landed++;
      } else {
        summary.problems.push({
          index: source.lines[0] ?? 0,
          ...(result.path !== undefined && { field: result.path }),
          code: result.code ?? status,
          message: `${source.type} of ${linesOf(source)}: ${result.message ?? `ended ${status}`}`,
        });
      }
    }
    saveJournal(journalFile, journal);
    settled(sent.length);
  };

  for (const source of read.txs) {
    if (journal.landed[source.key] !== undefined) {
      summary.alreadyOnChain++;
      settled();
      continue;
    }
    if (dryRun) {
      summary.landed++;
      settled();
      continue;
    }
    if (options.secretKey === undefined) throw new Error('importCsv: a key is needed to submit');
    signTx ??= txSigner(chainId, options.secretKey);
    const tx = signTx(source.type, source.payload as never, nonceFor(source.key)) as SignedTx;
    batch.push({ tx, source });
    if (batch.length >= options.batch) await flush();
  }
  await flush();
  summary.problems.sort((a, b) => a.index - b.index);
  return summary;
}
