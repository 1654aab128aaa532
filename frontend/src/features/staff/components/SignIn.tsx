'use client';
/**
 * Sign in with a keystore file and its passphrase. The file is read and checked here, the node
 * asked which organization its key signs for (as soon as the file is chosen, so an unknown or
 * revoked key is said before the passphrase is typed, and again on signing in), and the key
 * opened in a background worker with scrypt's progress shown. The passphrase and the key stay in
 * this browser tab.
 */
import { useEffect, useId, useRef, useState, type ChangeEvent, type SubmitEvent } from 'react';
import type { Keystore } from '@waybill/shared/keys';
import { shortHash } from '@/lib/format';
import { useNodeClient } from '@/lib/browser-node';
import { useStaff } from '../hooks/session';
import {
  findKeyOwner,
  openSession,
  readKeystoreText,
  SignInError,
  type KeyOwner,
  type SignInField,
} from '../hooks/sign-in';
import styles from '../staff.module.css';

type Errors = Partial<Record<SignInField, string>>;

/** What the node said about the chosen key: still asking, its owner, or nothing usable. */
type OwnerCheck = 'checking' | 'failed' | KeyOwner;

function describeKey(keystore: Keystore, owner: OwnerCheck): string {
  const found = typeof owner === 'object' ? owner : null;
  const label = keystore.label ?? found?.member.label;
  const key = `key ${label ? `“${label}” ` : ''}${shortHash(keystore.publicKey)}`;
  if (found) return `${key}, ${found.member.role} of ${found.org.name} (${found.org.id}).`;
  return owner === 'checking' ? `${key}: checking which organization it signs for…` : `${key}.`;
}

export function SignIn() {
  const id = useId();
  const client = useNodeClient();
  const { signIn, decrypt } = useStaff();
  const [keystore, setKeystore] = useState<Keystore | null>(null);
  const [fileName, setFileName] = useState('');
  const [owner, setOwner] = useState<OwnerCheck>('checking');
  const [passphrase, setPassphrase] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [progress, setProgress] = useState<number | null>(null);
  const abort = useRef<AbortController | null>(null);
  /** Counts chosen files, so the answer about an earlier one is dropped. */
  const choice = useRef(0);

  // Leaving the page mid-unlock stops the worker.
  useEffect(
    () => () => {
      abort.current?.abort();
    },
    [],
  );

  const chooseFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    const current = ++choice.current;
    setKeystore(null);
    setOwner('checking');
    setErrors({});
    if (!file) return;
    setFileName(file.name);
    file.text().then(
      (text) => {
        if (current !== choice.current) return;
        let parsed: Keystore;
        try {
          parsed = readKeystoreText(text);
        } catch (error) {
          setErrors({ file: error instanceof Error ? error.message : String(error) });
          return;
        }
        setKeystore(parsed);
        findKeyOwner(client, parsed).then(
          (found) => {
            if (current === choice.current) setOwner(found);
          },
          (error: unknown) => {
            // Said now, before the passphrase is typed; signing in asks the node again.
            if (current !== choice.current) return;
            setOwner('failed');
            if (!(error instanceof SignInError)) return;
            setErrors((shown) =>
              shown.file || shown.node ? shown : { ...shown, [error.field]: error.message },
            );
          },
        );
      },
      () => {
        if (current === choice.current) {
          setErrors({ file: 'The file could not be read. Choose it again.' });
        }
      },
    );
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!keystore) {
      setErrors({ file: errors.file ?? 'Choose your keystore file (.json).' });
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setErrors({});
    setProgress(0);
    openSession({
      client,
      decrypt,
      keystore,
      passphrase,
      options: {
        signal: controller.signal,
        onProgress: (fraction) => {
          setProgress(fraction);
        },
      },
    }).then(
      (session) => {
        if (controller.signal.aborted) {
          session.secretKey.fill(0);
          return;
        }
        setPassphrase('');
        signIn(session);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setProgress(null);
        if (error instanceof SignInError) setErrors({ [error.field]: error.message });
        else setErrors({ node: error instanceof Error ? error.message : String(error) });
      },
    );
  };

  const unlocking = progress !== null;
  const describe = (field: SignInField, hint?: string) =>
    [hint, errors[field] ? `${id}-${field}-error` : undefined].filter(Boolean).join(' ') ||
    undefined;

  return (
    <section className={styles.signIn} aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Sign in to the staff desk</h1>
      <p>
        Open your keystore file with its passphrase. The key is decrypted in this browser and kept
        in this tab’s memory only: it is never stored or sent anywhere, and only the transactions
        you sign leave the browser. Reloading the page or signing out forgets it.
      </p>
      <form className="card" onSubmit={onSubmit} noValidate aria-label="Sign in">
        <div className="field">
          <label htmlFor={`${id}-file`}>Keystore file</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".json,application/json"
            disabled={unlocking}
            aria-invalid={errors.file ? true : undefined}
            aria-describedby={describe('file', `${id}-file-hint`)}
            onChange={chooseFile}
          />
          <p id={`${id}-file-hint`} className="field-hint">
            {keystore
              ? `${fileName}: ${describeKey(keystore, owner)}`
              : 'The .json file your organization’s admin gave you.'}
          </p>
          {errors.file ? (
            <p id={`${id}-file-error`} className="field-error" role="alert">
              {errors.file}
            </p>
          ) : null}
        </div>

        <div className="field">
          <label htmlFor={`${id}-passphrase`}>Passphrase</label>
          <input
            id={`${id}-passphrase`}
            type="password"
            autoComplete="current-password"
            value={passphrase}
            disabled={unlocking}
            aria-invalid={errors.passphrase ? true : undefined}
            aria-describedby={describe('passphrase')}
            onChange={(event) => {
              setPassphrase(event.target.value);
            }}
          />
          {errors.passphrase ? (
            <p id={`${id}-passphrase-error`} className="field-error" role="alert">
              {errors.passphrase}
            </p>
          ) : null}
        </div>

        {errors.node ? (
          <p className="field-error" role="alert">
            {errors.node}
          </p>
        ) : null}

        {unlocking ? (
          <div className="field">
            <label htmlFor={`${id}-progress`}>Unlocking the key</label>
            <progress id={`${id}-progress`} max={1} value={progress} />
            <p className="field-hint" role="status" aria-live="polite">
              {progress > 0
                ? `Deriving the key from the passphrase: ${String(Math.floor(progress * 100))} %`
                : 'Checking your key with the node…'}
            </p>
          </div>
        ) : null}

        <div className={styles.answers}>
          <button type="submit" className="button" disabled={unlocking}>
            {unlocking ? 'Unlocking…' : 'Unlock and sign in'}
          </button>
          {unlocking ? (
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                abort.current?.abort();
                setProgress(null);
              }}
            >
              Cancel
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
