/**
 * A payload as fields: EPCs link to their product page, organizations and hashes to theirs, and
 * nested lists and objects are shown as nested fields. Works for every type without a template
 * per type, so a new transaction type still shows.
 */
import Link from 'next/link';
import { Hash } from '@/components/Hash';
import { TimeStamp } from '@/components/TimeStamp';
import { routes } from '@/lib/routes';

const ORG_FIELDS = new Set(['to', 'orgId']);
const TX_FIELDS = new Set(['transfer', 'recall', 'target']);

function humanize(key: string): string {
  return key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
}

function Value({ name, value }: { name: string; value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">none</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    return (
      <ul className="payload-list">
        {(value as unknown[]).map((item, i) => (
          <li key={i}>
            <Value name={name} value={item} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object') {
    return <PayloadView payload={value as Record<string, unknown>} nested />;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text.startsWith('https://id.gs1.org/'))
    return <Link href={routes.thing(text)}>{text.slice('https://id.gs1.org'.length)}</Link>;
  if (ORG_FIELDS.has(name)) return <Link href={routes.org(text)}>{text}</Link>;
  if (TX_FIELDS.has(name) && /^[0-9a-f]{64}$/.test(text))
    return <Hash value={text} href={routes.tx(text)} label={name} />;
  if (/^[0-9a-f]{64}$/.test(text)) return <Hash value={text} label={name} />;
  if (/time$/i.test(name) && !Number.isNaN(Date.parse(text))) return <TimeStamp iso={text} />;
  return <span>{text}</span>;
}

export function PayloadView({
  payload,
  nested = false,
}: {
  payload: Record<string, unknown>;
  nested?: boolean;
}) {
  return (
    <dl className={nested ? 'fields nested' : 'fields'}>
      {Object.entries(payload).map(([key, value]) => (
        <div key={key} style={{ display: 'contents' }}>
          <dt>{humanize(key)}</dt>
          <dd>
            <Value name={key} value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
