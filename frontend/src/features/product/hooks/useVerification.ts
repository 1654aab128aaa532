'use client';
/**
 * Fetches the thing's provenance bundle from the node and checks it in the reader's browser,
 * against the genesis the explorer is configured to trust or, without one, the node's own.
 * `refresh` checks again (after a live event) and keeps the last result on screen meanwhile.
 */
import type { BundleVerification } from '@waybill/shared/bundle';
import { WaybillClientError } from '@waybill/shared/client';
import { useCallback, useEffect, useState } from 'react';
import { useNodeConfig } from '@/lib/browser-config';
import { useNodeClient } from '@/lib/browser-node';
import { BUNDLE_QUERY } from '../utils/queries';
import { countSignatures, type BundleVerifier } from '../utils/verification';

export interface VerificationDone {
  phase: 'done';
  result: BundleVerification;
  signatures: number;
  blocks: number;
  ms: number;
  /** Where the genesis checked against came from. */
  genesis: 'trusted' | 'node';
}

export type VerificationState =
  | { phase: 'fetching'; previous?: VerificationDone }
  | { phase: 'verifying'; signatures: number; checked: number; previous?: VerificationDone }
  | VerificationDone
  | { phase: 'unavailable'; message: string; code?: string; previous?: VerificationDone };

/** The last completed check, also while a new one runs. */
export function lastDone(state: VerificationState): VerificationDone | undefined {
  return state.phase === 'done' ? state : state.previous;
}

function blockCount(bundle: unknown): number {
  const blocks = (bundle as { blocks?: unknown } | null)?.blocks;
  return Array.isArray(blocks) ? blocks.length : 0;
}

export function useVerification(
  epc: string,
  verify: BundleVerifier,
): { state: VerificationState; refresh: () => void } {
  const client = useNodeClient();
  const { genesisHash } = useNodeConfig();
  const [state, setState] = useState<VerificationState>({ phase: 'fetching' });
  const [run, setRun] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    // A function, not the flag itself: it changes across the awaits below.
    const cancelled = () => abort.signal.aborted;
    const previous = (s: VerificationState) => {
      const done = lastDone(s);
      return done ? { previous: done } : {};
    };
    const fail = (message: string, code?: string) => {
      setState((s) => ({
        phase: 'unavailable',
        message,
        ...(code !== undefined && { code }),
        ...previous(s),
      }));
    };
    client
      .request<{ bundle: unknown }>(BUNDLE_QUERY, { epc })
      .then(async ({ bundle }) => {
        if (cancelled()) return;
        if (bundle === null || bundle === undefined) {
          fail('the node has no provenance bundle for this identifier', 'NOT_FOUND');
          return;
        }
        const signatures = countSignatures(bundle);
        setState((s) => ({ phase: 'verifying', signatures, checked: 0, ...previous(s) }));
        const started = performance.now();
        const result = await verify(
          bundle,
          {
            expectedSubject: epc,
            ...(genesisHash !== undefined && { expectedGenesisHash: genesisHash }),
          },
          {
            signal: abort.signal,
            onProgress: (checked) => {
              if (cancelled()) return;
              setState((s) => (s.phase === 'verifying' ? { ...s, checked } : s));
            },
          },
        );
        if (cancelled()) return;
        setState({
          phase: 'done',
          result,
          signatures,
          blocks: blockCount(bundle),
          ms: Math.round(performance.now() - started),
          genesis: genesisHash !== undefined ? 'trusted' : 'node',
        });
      })
      .catch((error: unknown) => {
        if (cancelled()) return;
        if (error instanceof WaybillClientError) fail(error.message, error.code);
        else fail(error instanceof Error ? error.message : String(error));
      });
    return () => {
      abort.abort();
    };
  }, [client, epc, genesisHash, verify, run]);

  const refresh = useCallback(() => {
    setState((s) => {
      const done = lastDone(s);
      return { phase: 'fetching', ...(done && { previous: done }) };
    });
    setRun((n) => n + 1);
  }, []);

  return { state, refresh };
}
