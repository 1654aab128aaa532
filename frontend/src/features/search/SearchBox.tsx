'use client';
/**
 * The search box: suggestions from the node's `search` as you type (blocks, transactions, EPCs,
 * GTINs, lots, organizations), as an ARIA combobox; Enter opens the highlighted hit or the
 * results page.
 */
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { useNodeClient } from '@/lib/browser-node';
import { routes } from '@/lib/routes';
import { HIT_KIND_LABELS, hitHref, SEARCH_QUERY, worthSuggesting, type SearchHit } from './hits';

const DEBOUNCE_MS = 200;

export function SearchBox() {
  const client = useNodeClient();
  const router = useRouter();
  const listId = useId();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [failed, setFailed] = useState<string | null>(null);
  const latest = useRef('');

  useEffect(() => {
    const query = q.trim();
    latest.current = query;
    if (!worthSuggesting(query)) return;
    const timer = setTimeout(() => {
      client
        .request<{ search: SearchHit[] }>(SEARCH_QUERY, { q: query })
        .then((data) => {
          if (latest.current !== query) return;
          setHits(data.search.slice(0, 8));
          setFailed(null);
          setActive(-1);
        })
        .catch((error: unknown) => {
          if (latest.current !== query) return;
          setHits([]);
          setFailed(error instanceof Error ? error.message : String(error));
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [q, client]);

  const shown = worthSuggesting(q) ? hits : [];
  const go = (href: string) => {
    setOpen(false);
    setQ('');
    setHits([]);
    router.push(href);
  };

  return (
    <form
      role="search"
      className="search"
      onSubmit={(event) => {
        event.preventDefault();
        const hit = shown[active];
        if (hit) go(hitHref(hit));
        else if (q.trim()) go(routes.search(q.trim()));
      }}
    >
      <label htmlFor={`${listId}-input`} className="visually-hidden">
        Search by height, hash, EPC, GTIN, lot or organization
      </label>
      <input
        id={`${listId}-input`}
        type="search"
        role="combobox"
        aria-expanded={open && shown.length > 0}
        aria-controls={`${listId}-list`}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        placeholder="Height, hash, EPC, GTIN, lot, organization"
        autoComplete="off"
        value={q}
        onChange={(event) => {
          setQ(event.target.value);
          setOpen(true);
        }}
        onFocus={() => {
          setOpen(true);
        }}
        onBlur={() => {
          setTimeout(() => {
            setOpen(false);
          }, 150);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
            setActive((i) => Math.min(i + 1, shown.length - 1));
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            setActive((i) => Math.max(i - 1, -1));
          } else if (event.key === 'Escape') {
            setOpen(false);
          }
        }}
      />
      {open && shown.length > 0 ? (
        <ul id={`${listId}-list`} role="listbox" className="suggestions" aria-label="Suggestions">
          {shown.map((hit, i) => (
            <li
              key={`${hit.kind}:${hit.id}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(event) => {
                event.preventDefault();
                go(hitHref(hit));
              }}
            >
              <span className="badge">{HIT_KIND_LABELS[hit.kind]}</span> {hit.label}
            </li>
          ))}
        </ul>
      ) : null}
      {open && failed && worthSuggesting(q) ? (
        <p className="suggestions-error" role="status">
          Suggestions unavailable: {failed}
        </p>
      ) : null}
    </form>
  );
}
