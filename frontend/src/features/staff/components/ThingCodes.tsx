'use client';
/**
 * Picks items, lots or pallets by their codes: typed (an EPC, any GS1 Digital Link URL or path,
 * or a bare SSCC), scanned with the camera, or read from a photo. Each code is normalized to its
 * canonical EPC by shared's GS1 rules; an invalid one (a wrong check digit, a product without
 * its serial) is refused with the reason, and nothing is added.
 */
import { useId, useState, type ChangeEvent } from 'react';
import { useQrDecoder } from '../hooks/qr-decoder';
import styles from '../staff.module.css';
import { describeEpc, parseThingCode, type ThingKind } from '../utils/codes';
import { CameraScanner } from './CameraScanner';
import { ScanActions } from './ScanActions';

export interface ThingCodesProps {
  /** The group's name, such as "Items to hand over". */
  legend: string;
  /** The text field's label, such as "Item code". */
  inputLabel: string;
  hint?: string;
  kinds: readonly ThingKind[];
  values: readonly string[];
  onChange: (values: string[]) => void;
  /** One code only (a pallet): a new one replaces the old. */
  single?: boolean;
  /** A message about the whole list, such as "Add at least one item". */
  error?: string | undefined;
}

export function ThingCodes({
  legend,
  inputLabel,
  hint,
  kinds,
  values,
  onChange,
  single = false,
  error,
}: ThingCodesProps) {
  const id = useId();
  const decoder = useQrDecoder();
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [camera, setCamera] = useState(false);
  const [reading, setReading] = useState(false);

  /** Adds a code; returns whether it was accepted. `source` words the error for scans. */
  const add = (text: string, source: 'typed' | 'scanned'): boolean => {
    const result = parseThingCode(text, kinds);
    if (!result.ok) {
      setProblem(source === 'scanned' ? `Scanned “${text}”. ${result.message}` : result.message);
      return false;
    }
    setProblem(null);
    if (values.includes(result.epc)) {
      setAnnouncement(`${result.description} is already in the list.`);
      return true;
    }
    onChange(single ? [result.epc] : [...values, result.epc]);
    setAnnouncement(
      single
        ? `${result.description} selected.`
        : `Added ${result.description}; ${String(values.length + 1)} in the list.`,
    );
    return true;
  };

  const addTyped = () => {
    if (add(typed, 'typed')) setTyped('');
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
              'No QR code was found in that photo. Take it closer and sharper, or type the code.',
            );
          } else {
            add(text, 'scanned');
          }
        },
        () => {
          setProblem('That file could not be read as an image. Choose a photo of the label.');
        },
      )
      .finally(() => {
        setReading(false);
      });
  };

  const describedBy =
    [hint ? `${id}-hint` : '', problem ? `${id}-problem` : '', error ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;

  return (
    <fieldset className={styles.codes}>
      <legend>{legend}</legend>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      <div className={styles.codeRow}>
        <div className={styles.codeInput}>
          <label htmlFor={`${id}-input`}>{inputLabel}</label>
          <input
            id={`${id}-input`}
            type="text"
            inputMode="url"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            placeholder="https://id.gs1.org/01/…/21/…"
            value={typed}
            aria-invalid={problem ? true : undefined}
            aria-describedby={describedBy}
            onChange={(event) => {
              setTyped(event.target.value);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                addTyped();
              }
            }}
          />
        </div>
        <button type="button" className="button secondary" onClick={addTyped}>
          {single ? 'Use' : 'Add'}
        </button>
      </div>
      <ScanActions
        camera={camera}
        onToggleCamera={() => {
          setCamera((open) => !open);
        }}
        reading={reading}
        onPhoto={readPhoto}
      />
      {camera ? (
        <CameraScanner
          label={legend}
          onCode={(text) => {
            const accepted = add(text, 'scanned');
            if (accepted && single) setCamera(false);
            return !(accepted && single);
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
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {values.length > 0 ? (
        <ul className={styles.codeList} aria-label={`${legend}: selected`}>
          {values.map((epc) => (
            <li key={epc}>
              <span className={styles.codeText}>
                <span>{describeEpc(epc)}</span>
                <code className="muted">{epc}</code>
              </span>
              <button
                type="button"
                className="button secondary"
                aria-label={`Remove ${describeEpc(epc)}`}
                onClick={() => {
                  onChange(values.filter((value) => value !== epc));
                  setAnnouncement(`Removed ${describeEpc(epc)}.`);
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
