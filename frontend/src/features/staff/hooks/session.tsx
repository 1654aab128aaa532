'use client';
/**
 * The signed-in member, shared by every staff page through the staff layout. The secret key lives
 * in this provider's state only: not in sessionStorage or any other storage, not in a URL, never
 * in a request. Leaving the staff pages, reloading or signing out forgets it (signing out also
 * zeroes its bytes), and the worker seam used to open keystores is chosen here.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { decryptInWorker, type KeystoreDecryptor } from '../workers/decrypt';
import type { StaffSession } from '../types';

interface StaffContextValue {
  session: StaffSession | null;
  signIn: (session: StaffSession) => void;
  signOut: () => void;
  decrypt: KeystoreDecryptor;
}

const StaffContext = createContext<StaffContextValue | null>(null);

export function StaffProvider({
  children,
  decrypt = decryptInWorker,
  initialSession = null,
}: {
  children: ReactNode;
  /** How keystores are opened; tests pass direct decryption instead of the worker. */
  decrypt?: KeystoreDecryptor;
  /** For tests of the signed-in pages. */
  initialSession?: StaffSession | null;
}) {
  const [session, setSession] = useState<StaffSession | null>(initialSession);
  const signIn = useCallback((next: StaffSession) => {
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    session?.secretKey.fill(0);
    setSession(null);
  }, [session]);
  const value = useMemo(
    () => ({ session, signIn, signOut, decrypt }),
    [session, signIn, signOut, decrypt],
  );
  return <StaffContext value={value}>{children}</StaffContext>;
}

function useStaffContext(): StaffContextValue {
  const value = useContext(StaffContext);
  if (!value) throw new Error('staff hooks are used outside StaffProvider');
  return value;
}

/** The sign-in state and its actions. */
export function useStaff(): StaffContextValue {
  return useStaffContext();
}

/** The signed-in member; only for components rendered behind the sign-in gate. */
export function useSession(): StaffSession {
  const { session } = useStaffContext();
  if (!session) throw new Error('useSession needs a signed-in member');
  return session;
}
