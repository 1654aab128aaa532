'use client';
/**
 * Every staff page's frame: the sign-in form while no one is signed in (so a deep link such as
 * /staff/handover works after signing in), otherwise who is signed in, a sign-out button and
 * the desk's sections.
 */
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { Hash } from '@/components/Hash';
import { routes } from '@/lib/routes';
import { useStaff } from '../hooks/session';
import styles from '../staff.module.css';
import { SignIn } from './SignIn';

const SECTIONS = [
  { href: routes.staff(), label: 'Inbox' },
  { href: routes.staffAction('handover'), label: 'Hand over' },
  { href: routes.staffAction('observe'), label: 'Observe' },
  { href: routes.staffAction('pack'), label: 'Pack' },
  { href: routes.staffAction('unpack'), label: 'Unpack' },
  { href: routes.staffAction('decommission'), label: 'Decommission' },
];

export function StaffShell({ children }: { children: ReactNode }) {
  const { session, signOut } = useStaff();
  const pathname = usePathname();
  if (!session) return <SignIn />;
  return (
    <>
      <section className={styles.sessionBar} aria-label="Signed in">
        <p>
          Signed in as <strong>{session.label ?? session.role}</strong> of{' '}
          <Link href={routes.org(session.org.id)}>{session.org.name}</Link>{' '}
          <span className="badge">{session.role}</span>
          <br />
          <span className="muted">
            Key <Hash value={session.publicKey} label="public key" />
          </span>
        </p>
        <button type="button" className="button secondary" onClick={signOut}>
          Sign out
        </button>
      </section>
      <nav aria-label="Staff desk" className={styles.sections}>
        <ul>
          {SECTIONS.map((section) => (
            <li key={section.href}>
              <Link
                href={section.href}
                aria-current={pathname === section.href ? 'page' : undefined}
              >
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </>
  );
}
