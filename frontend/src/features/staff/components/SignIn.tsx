'use client';
/**
 * Sign in with a keystore file and its passphrase. The file is read and checked here, the key
 * opened in a background worker with scrypt's progress shown, and its membership of the
 * organization checked with the node. The passphrase and the key stay in this browser tab.
 */
import { useEffect, useId, useRef, useState, type ChangeEvent, type SubmitEvent } from 'react';
import type { Keystore } from '@waybill/shared/keys';
import { shortHash } from '@/lib/format';
import { useNodeClient } from '@/lib/browser-node';
import { useOrganizations } from '../hooks/organizations';
import { useStaff } from '../hooks/session';
import {
  openSession,
  orgFromFileName,
  readKeystoreText,
  SignInError,
  type SignInField,
} from '../hooks/sign-in';
import styles from '../staff.module.css';
import { OrgPicker } from './OrgPicker';

type Errors = Partial<Record<SignInField, string>>;

export function SignIn() {
  const id = useId();
  const client = useNodeClient();
  const { signIn, decrypt } = useStaff();
  const [keystore, setKeystore] = useState<Keystore | null>(null);
  const [fileName, setFileName] = useState('');
  const [orgId, setOrgId] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [progress, setProgress] = useState<number | null>(null);
  const abort = useRef<AbortController | null>(null);
  const needsOrg = keystore !== null && keystore.org === undefined;
  const organizations = useOrganizations();

  // Leaving the page mid-unlock stops the worker.
  useEffect(
    () => () => {
      abort.current?.abort();
    },
    [],
  );

  const chooseFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setKeystore(null);
    setErrors({});
    if (!file) return;
    setFileName(file.name);
    file.text().then(
      (text) => {
        try {
          const parsed = readKeystoreText(text);
          setKeystore(parsed);
          setOrgId(parsed.org ?? orgFromFileName(file.name) ?? '');
        } catch (error) {
          setErrors({ file: error instanceof Error ? error.message : String(error) });
        }
      },
      () => {
        setErrors({ file: 'The file could not be read. Choose it again.' });
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
      orgId: keystore.org ?? orgId,
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
              ? `${fileName}: key ${keystore.label ? `“${keystore.label}” ` : ''}${shortHash(keystore.publicKey)}${keystore.org ? ` of ${keystore.org}` : ''}.`
              : 'The .json file your organization’s admin gave you.'}
          </p>
          {errors.file ? (
            <p id={`${id}-file-error`} className="field-error" role="alert">
              {errors.file}
            </p>
          ) : null}
        </div>

        {needsOrg ? (
          <OrgPicker
            label="Your organization"
            list={organizations}
            value={orgId}
            onChange={setOrgId}
            hint="This keystore does not name its organization; it is checked against the organization’s members."
            error={errors.org}
          />
        ) : errors.org ? (
          <p className="field-error" role="alert">
            {errors.org}
          </p>
        ) : null}

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
                : 'Checking your membership with the node…'}
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
