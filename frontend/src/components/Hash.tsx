import Link from 'next/link';
import { shortHash } from '@/lib/format';
import { CopyButton } from './CopyButton';

/** A hash or key shortened for reading, whole in its title and copy button, optionally a link. */
export function Hash({
  value,
  href,
  label = 'hash',
  full = false,
}: {
  value: string;
  href?: string;
  label?: string;
  full?: boolean;
}) {
  const text = full ? value : shortHash(value);
  return (
    <span className="hash">
      {href ? (
        <Link href={href} title={value}>
          <code>{text}</code>
        </Link>
      ) : (
        <code title={value}>{text}</code>
      )}
      <CopyButton value={value} label={label} />
    </span>
  );
}
