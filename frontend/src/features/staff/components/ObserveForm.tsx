'use client';
/**
 * Record an observation (`event.observe`): what step of business it was, the things' disposition,
 * sensor readings, and documents by their SHA-256, computed here in the browser (the files are not
 * uploaded). Custodians observe what they hold; inspectors anything on the chain.
 */
import { useId, useRef, useState, type SubmitEvent } from 'react';
import { useStaffAction } from '../hooks/action';
import { useSession } from '../hooks/session';
import styles from '../staff.module.css';
import { ALL_THING_KINDS } from '../utils/codes';
import {
  eventFields,
  initialEventInput,
  noteProblem,
  toDecimal,
  type EventFieldInput,
} from '../utils/event';
import { hashFile } from '../utils/hash-file';
import { checkObserve } from '../utils/prechecks';
import { EventFieldsInput } from './EventFieldsInput';
import { ProblemList } from './ProblemList';
import { ThingCodes } from './ThingCodes';
import { TxProgress } from './TxProgress';

/** CBV 2.0 business steps and dispositions staff use most, by their bare names. */
const BIZ_STEPS = [
  'inspecting',
  'receiving',
  'storing',
  'holding',
  'loading',
  'unloading',
  'transporting',
  'sensor_reporting',
  'repairing',
];
const DISPOSITIONS = [
  'conformant',
  'non_conformant',
  'in_progress',
  'in_transit',
  'sellable_accessible',
  'sellable_not_accessible',
  'damaged',
  'expired',
  'recalled',
];

const SENSORS = {
  temperature: { label: 'Temperature (°C)', type: 'gs1:Temperature', uom: 'CEL' },
  humidity: { label: 'Relative humidity (%)', type: 'gs1:RelativeHumidity', uom: 'P1' },
  illuminance: { label: 'Illuminance (lux)', type: 'gs1:Illuminance', uom: 'LUX' },
} as const;
type SensorKind = keyof typeof SENSORS;

interface ReadingRow {
  key: number;
  kind: SensorKind;
  value: string;
}

interface DocumentRow {
  key: number;
  type: string;
  fileName?: string;
  hash?: string;
  hashing: boolean;
  uri: string;
}

interface Errors {
  epcs?: string;
  readings: Record<number, string>;
  documents: Record<number, string>;
}

const NO_ERRORS: Errors = { readings: {}, documents: {} };

function words(name: string): string {
  return name.replace(/_/g, ' ');
}

export function ObserveForm({ initialEpcs = [] }: { initialEpcs?: string[] }) {
  const id = useId();
  const session = useSession();
  const action = useStaffAction();
  const [epcs, setEpcs] = useState<string[]>(initialEpcs);
  const [bizStep, setBizStep] = useState('');
  const [disposition, setDisposition] = useState('');
  const [readings, setReadings] = useState<ReadingRow[]>([]);
  const [documents, setDocuments] = useState<DocumentRow[]>([]);
  const nextKey = useRef(1);
  const [event, setEvent] = useState<EventFieldInput>(() => initialEventInput(session));
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);

  const newKey = () => nextKey.current++;
  const updateDocument = (key: number, change: Partial<DocumentRow>) => {
    setDocuments((rows) => rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  };

  const chooseFile = (key: number, file: File | undefined) => {
    if (!file) return;
    updateDocument(key, { fileName: file.name, hashing: true, hash: undefined });
    hashFile(file).then(
      (hash) => {
        updateDocument(key, { hash, hashing: false });
      },
      () => {
        updateDocument(key, { hashing: false, fileName: undefined });
        setErrors((e) => ({
          ...e,
          documents: { ...e.documents, [key]: 'That file could not be read. Choose it again.' },
        }));
      },
    );
  };

  const onSubmit = (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const found: Errors = { readings: {}, documents: {} };
    if (epcs.length === 0) found.epcs = 'Add at least one item, lot or pallet to observe.';
    readings.forEach((row, i) => {
      if (toDecimal(row.value) === undefined) {
        found.readings[row.key] =
          row.value.trim() === ''
            ? `Reading ${String(i + 1)}: enter a value, or remove the reading.`
            : `Reading ${String(i + 1)}: “${row.value}” is not a number; write it like 4.5 or -18.`;
      }
    });
    documents.forEach((row, i) => {
      if (row.type.trim() === '')
        found.documents[row.key] = `Document ${String(i + 1)}: say what kind of document it is.`;
      else if (row.hashing)
        found.documents[row.key] = `Document ${String(i + 1)}: wait until its hash is computed.`;
      else if (!row.hash)
        found.documents[row.key] = `Document ${String(i + 1)}: choose the file to fingerprint.`;
      else if (row.uri.trim() !== '' && !/^https?:\/\/\S+$/.test(row.uri.trim()))
        found.documents[row.key] =
          `Document ${String(i + 1)}: the link must be an http(s) address, or left empty.`;
    });
    setErrors(found);
    if (
      found.epcs ||
      Object.keys(found.readings).length > 0 ||
      Object.keys(found.documents).length > 0 ||
      noteProblem(event.note)
    )
      return;

    action.run(async ({ things, sign }) => {
      const problems = checkObserve(epcs, await things(epcs), session.org);
      if (problems.length > 0) return problems;
      const sensorReadings = readings.map((row) => ({
        type: SENSORS[row.kind].type,
        value: toDecimal(row.value) ?? '',
        uom: SENSORS[row.kind].uom,
      }));
      const docs = documents.map((row) => ({
        type: row.type.trim(),
        hash: row.hash ?? '',
        ...(row.uri.trim() ? { uri: row.uri.trim() } : {}),
      }));
      return sign('event.observe', {
        epcs,
        ...(bizStep ? { bizStep } : {}),
        ...(disposition ? { disposition } : {}),
        ...(sensorReadings.length > 0 ? { sensorReadings } : {}),
        ...(docs.length > 0 ? { documents: docs } : {}),
        ...eventFields(event),
      });
    });
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Record an observation">
      <ThingCodes
        legend="Items observed"
        inputLabel="Item, lot or pallet code"
        hint="Scan each label's QR code, or type an EPC or GS1 Digital Link."
        kinds={ALL_THING_KINDS}
        values={epcs}
        onChange={setEpcs}
        error={errors.epcs}
      />
      <div className="grid">
        <div className="field">
          <label htmlFor={`${id}-step`}>Business step</label>
          <select
            id={`${id}-step`}
            value={bizStep}
            onChange={(e) => {
              setBizStep(e.target.value);
            }}
          >
            <option value="">None</option>
            {BIZ_STEPS.map((step) => (
              <option key={step} value={step}>
                {words(step)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-disposition`}>Disposition</label>
          <select
            id={`${id}-disposition`}
            value={disposition}
            onChange={(e) => {
              setDisposition(e.target.value);
            }}
          >
            <option value="">None</option>
            {DISPOSITIONS.map((value) => (
              <option key={value} value={value}>
                {words(value)}
              </option>
            ))}
          </select>
        </div>
      </div>

      <fieldset className={styles.rows}>
        <legend>Sensor readings</legend>
        {readings.length === 0 ? <p className="field-hint">No readings added.</p> : null}
        {readings.map((row, i) => {
          const error = errors.readings[row.key];
          return (
            <div key={row.key} className={styles.row}>
              <div className="field">
                <label htmlFor={`${id}-r${String(row.key)}-kind`}>Reading {i + 1}: measure</label>
                <select
                  id={`${id}-r${String(row.key)}-kind`}
                  value={row.kind}
                  onChange={(e) => {
                    const kind = e.target.value as SensorKind;
                    setReadings((rows) =>
                      rows.map((r) => (r.key === row.key ? { ...r, kind } : r)),
                    );
                  }}
                >
                  {(Object.keys(SENSORS) as SensorKind[]).map((kind) => (
                    <option key={kind} value={kind}>
                      {SENSORS[kind].label}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${id}-r${String(row.key)}-value`}>Reading {i + 1}: value</label>
                <input
                  id={`${id}-r${String(row.key)}-value`}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  value={row.value}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-r${String(row.key)}-error` : undefined}
                  onChange={(e) => {
                    const value = e.target.value;
                    setReadings((rows) =>
                      rows.map((r) => (r.key === row.key ? { ...r, value } : r)),
                    );
                  }}
                />
                {error ? (
                  <p id={`${id}-r${String(row.key)}-error`} className="field-error" role="alert">
                    {error}
                  </p>
                ) : null}
              </div>
              <button
                type="button"
                className="button secondary"
                aria-label={`Remove reading ${String(i + 1)}`}
                onClick={() => {
                  setReadings((rows) => rows.filter((r) => r.key !== row.key));
                }}
              >
                Remove
              </button>
            </div>
          );
        })}
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            const key = newKey();
            setReadings((rows) => [...rows, { key, kind: 'temperature', value: '' }]);
          }}
        >
          Add a reading
        </button>
      </fieldset>

      <fieldset className={styles.rows}>
        <legend>Documents</legend>
        <p className="field-hint">
          Each file is fingerprinted (SHA-256) in this browser and only the fingerprint is signed;
          the file itself is not uploaded.
        </p>
        {documents.map((row, i) => {
          const error = errors.documents[row.key];
          const base = `${id}-d${String(row.key)}`;
          return (
            <div key={row.key} className={styles.row}>
              <div className="field">
                <label htmlFor={`${base}-type`}>Document {i + 1}: kind</label>
                <input
                  id={`${base}-type`}
                  type="text"
                  list={`${id}-doc-types`}
                  value={row.type}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${base}-error` : undefined}
                  onChange={(e) => {
                    updateDocument(row.key, { type: e.target.value });
                  }}
                />
              </div>
              <div className="field">
                <label htmlFor={`${base}-file`}>Document {i + 1}: file</label>
                <input
                  id={`${base}-file`}
                  type="file"
                  aria-describedby={`${base}-hash`}
                  onChange={(e) => {
                    chooseFile(row.key, e.target.files?.[0]);
                  }}
                />
                <p id={`${base}-hash`} className="field-hint" aria-live="polite">
                  {row.hashing
                    ? 'Computing the SHA-256…'
                    : row.hash
                      ? `SHA-256 of ${row.fileName ?? 'the file'}: `
                      : 'No file chosen.'}
                  {row.hash && !row.hashing ? (
                    <code className={styles.wrap}>{row.hash}</code>
                  ) : null}
                </p>
              </div>
              <div className="field">
                <label htmlFor={`${base}-uri`}>
                  Document {i + 1}: link <span className="field-hint">(optional)</span>
                </label>
                <input
                  id={`${base}-uri`}
                  type="url"
                  value={row.uri}
                  onChange={(e) => {
                    updateDocument(row.key, { uri: e.target.value });
                  }}
                />
              </div>
              {error ? (
                <p id={`${base}-error`} className="field-error" role="alert">
                  {error}
                </p>
              ) : null}
              <button
                type="button"
                className="button secondary"
                aria-label={`Remove document ${String(i + 1)}`}
                onClick={() => {
                  setDocuments((rows) => rows.filter((r) => r.key !== row.key));
                }}
              >
                Remove
              </button>
            </div>
          );
        })}
        <datalist id={`${id}-doc-types`}>
          <option value="Certificate of analysis" />
          <option value="Delivery note" />
          <option value="Temperature log" />
          <option value="Inspection report" />
          <option value="Photo" />
        </datalist>
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            const key = newKey();
            setDocuments((rows) => [...rows, { key, type: '', hashing: false, uri: '' }]);
          }}
        >
          Add a document
        </button>
      </fieldset>

      <EventFieldsInput value={event} onChange={setEvent} />
      <ProblemList problems={action.problems} />
      <div className="pager">
        <button type="submit" className="button" disabled={action.busy}>
          {action.checking ? 'Checking…' : 'Sign and record'}
        </button>
        {action.submission.phase === 'final' ? (
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setEpcs([]);
              setReadings([]);
              setDocuments([]);
              setEvent((current) => ({ ...current, note: '' }));
              action.reset();
            }}
          >
            New observation
          </button>
        ) : null}
      </div>
      <TxProgress submission={action.submission} what="Observation" />
    </form>
  );
}
