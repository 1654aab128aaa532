'use client';
/**
 * Opens a handover by its reference, as printed on a handover slip or the driver's paperwork (the
 * hash of its custody.handover, typed or read from its QR code), and shows it as an inbox card to
 * answer. A handover meant for another organization is shown too: answering it is refused by the
 * pre-check, with nothing signed.
 */
import { useId, useRef, useState, type ChangeEvent, type SubmitEvent } from 'react';
import { useNodeClient } from '@/lib/browser-node';
import { loadHandover, parseHandoverReference } from '../hooks/handover';
import { useQrDecoder } from '../hooks/qr-decoder';
import { useSession } from '../hooks/session';
import styles from '../staff.module.css';
import type { Transfer } from '../types';
import { CameraScanner } from './CameraScanner';
import { ScanActions } from './ScanActions';
import { TransferRow } from './TransferRow';

type Lookup =
  | { status: 'idle' }
  | { status: 'loading'; hash: string }
  | { status: 'found'; transfer: Transfer }
  | { status: 'missing'; message: string };

const NOT_A_REFERENCE =
  'That is not a handover reference: it is the 64-character hash of the handover (0–9 and a–f), as printed on the handover slip.';

export function OpenHandover({
  acceptAt,
  onFinal,
}: {
  /** Where an acceptance records the things arrived. */
  acceptAt: string;
  /** An answer is final: the inbox lists have changed. */
  onFinal: () => void;
}) {
  const id = useId();
  const client = useNodeClient();
  const { org } = useSession();
  const decoder = useQrDecoder();
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [camera, setCamera] = useState(false);
  const [reading, setReading] = useState(false);
  const [lookup, setLookup] = useState<Lookup>({ status: 'idle' });
  /** Counts lookups, so only the latest one's answer is shown. */
  const latest = useRef(0);

  const open = (text: string): boolean => {
    const hash = parseHandoverReference(text);
    if (!hash) {
      setProblem(NOT_A_REFERENCE);
      return false;
    }
    setProblem(null);
    setTyped(hash);
    setLookup({ status: 'loading', hash });
    const ticket = ++latest.current;
    loadHandover(client, hash).then(
      (result) => {
        if (ticket !== latest.current) return;
        setLookup(
          result.found
            ? { status: 'found', transfer: result.transfer }
            : { status: 'missing', message: result.message },
        );
      },
      (error: unknown) => {
        if (ticket !== latest.current) return;
        const reason = error instanceof Error ? error.message : String(error);
        setLookup({ status: 'missing', message: `The handover could not be loaded: ${reason}` });
      },
    );
    return true;
  };

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    open(typed);
  };

  const readPhoto = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setReading(true);
    setProblem(null);
    decoder
      .decodeFile(file)
      .then(
        (text) => {
          if (text === null) {
            setProblem(
              'No QR code was found in that photo. Take it closer and sharper, or type the reference.',
            );
          } else {
            open(text);
          }
        },
        () => {
          setProblem('That file could not be read as an image. Choose a photo of the slip.');
        },
      )
      .finally(() => {
        setReading(false);
      });
  };

  const describedBy = problem ? `${id}-hint ${id}-problem` : `${id}-hint`;
  const transfer = lookup.status === 'found' ? lookup.transfer : null;

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Open a handover</h2>
      <form className={styles.codes} onSubmit={submit}>
        <p id={`${id}-hint`} className="field-hint">
          The reference on a handover slip or the driver’s paperwork: the handover’s 64-character
          hash, typed or scanned from its QR code.
        </p>
        <div className={styles.codeRow}>
          <div className={styles.codeInput}>
            <label htmlFor={`${id}-input`}>Handover reference</label>
            <input
              id={`${id}-input`}
              type="text"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              value={typed}
              aria-invalid={problem ? true : undefined}
              aria-describedby={describedBy}
              onChange={(event) => {
                setTyped(event.target.value);
              }}
            />
          </div>
          <button type="submit" className="button secondary" disabled={lookup.status === 'loading'}>
            Open handover
          </button>
        </div>
        <ScanActions
          camera={camera}
          onToggleCamera={() => {
            setCamera((on) => !on);
          }}
          reading={reading}
          onPhoto={readPhoto}
        />
        {camera ? (
          <CameraScanner
            label="Handover reference"
            onCode={(text) => {
              if (!parseHandoverReference(text)) return true;
              setCamera(false);
              open(text);
              return false;
            }}
            onClose={() => {
              setCamera(false);
            }}
          />
        ) : null}
        {problem ? (
          <p id={`${id}-problem`} className="field-error" role="alert">
            {problem}
          </p>
        ) : null}
      </form>
      {lookup.status === 'loading' ? (
        <p className="muted" role="status">
          Loading the handover…
        </p>
      ) : null}
      {lookup.status === 'missing' ? (
        <p className="field-error" role="alert">
          {lookup.message}
        </p>
      ) : null}
      {transfer ? (
        <ul className={styles.transfers} aria-label="Opened handover">
          <TransferRow
            key={transfer.id}
            transfer={transfer}
            direction={transfer.from === org.id ? 'outgoing' : 'incoming'}
            acceptAt={acceptAt}
            onStart={() => undefined}
            onFinal={onFinal}
          />
        </ul>
      ) : null}
    </section>
  );
}
