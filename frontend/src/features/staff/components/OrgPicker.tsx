'use client';
/**
 * Picks an organization: a list from the node's `organizations` query, or, where the node does
 * not offer it, a text field for the id (checked against `organization(id)` before signing).
 */
import { useId } from 'react';
import type { OrganizationList } from '../hooks/organizations';

export function OrgPicker({
  label,
  list,
  value,
  onChange,
  exclude,
  error,
  hint,
}: {
  label: string;
  list: OrganizationList;
  value: string;
  onChange: (id: string) => void;
  /** An org that cannot be picked (your own, for a handover). */
  exclude?: string;
  error?: string | undefined;
  hint?: string;
}) {
  const id = useId();
  const hintText =
    list.status === 'unavailable'
      ? `The node does not list organizations, so type the id, such as nordic-reefer.${hint ? ` ${hint}` : ''}`
      : hint;
  const describedBy =
    [hintText ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') ||
    undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hintText ? (
        <p id={`${id}-hint`} className="field-hint">
          {hintText}
        </p>
      ) : null}
      {list.status === 'unavailable' ? (
        <input
          id={id}
          type="text"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => {
            onChange(event.target.value.trim().toLowerCase());
          }}
        />
      ) : (
        <select
          id={id}
          value={value}
          disabled={list.status === 'loading'}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => {
            onChange(event.target.value);
          }}
        >
          <option value="">
            {list.status === 'loading' ? 'Loading organizations…' : 'Choose an organization'}
          </option>
          {list.status === 'ready'
            ? list.organizations
                .filter((org) => org.id !== exclude)
                .map((org) => (
                  <option key={org.id} value={org.id}>
                    {org.name} ({org.id}){org.roles.length > 0 ? ` · ${org.roles.join(', ')}` : ''}
                  </option>
                ))
            : null}
        </select>
      )}
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
