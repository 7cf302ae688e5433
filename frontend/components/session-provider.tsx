"use client";

import { useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from "react";
import { getBalance, getMe } from "@/lib/api";
import { clearSession, readSession, saveSession, saveUser, subscribeSession } from "@/lib/session";
import type { Session, User } from "@/lib/types";

type SessionStatus = "loading" | "signed-out" | "signed-in";

interface SessionContextValue {
  /** "loading" until the browser's stored session has been read (never during server render). */
  status: SessionStatus;
  user: User | null;
  /** The credits balance as last seen by the browser. */
  balance: number | null;
  /** Ask the API for the balance (after every spending action). */
  refreshBalance: () => Promise<void>;
  signIn: (session: Session) => void;
  signOut: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

const subscribeNothing = () => () => {};

export function SessionProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  // False while hydrating (the server knows no session), true afterwards.
  const hydrated = useSyncExternalStore(subscribeNothing, () => true, () => false);
  const stored = useSyncExternalStore(subscribeSession, readSession, () => null);

  const status: SessionStatus = !hydrated ? "loading" : stored ? "signed-in" : "signed-out";
  const signedInUserId = stored?.user.id ?? null;

  // Once per sign-in (and page load): the user's current profile and balance.
  useEffect(() => {
    if (!signedInUserId) return;
    let cancelled = false;
    getMe()
      .then((me) => {
        if (!cancelled) saveUser(me);
      })
      .catch(() => {
        // A 401 already signed us out; other failures leave the stored profile as it was.
      });
    return () => {
      cancelled = true;
    };
  }, [signedInUserId]);

  const refreshBalance = useCallback(async () => {
    try {
      const { balance } = await getBalance();
      const current = readSession();
      if (current && current.user.credits_balance !== balance) {
        saveUser({ ...current.user, credits_balance: balance });
      }
    } catch {
      // The header keeps the last known balance; the page shows its own error.
    }
  }, []);

  const signIn = useCallback((session: Session) => saveSession(session), []);

  const signOut = useCallback(() => {
    clearSession();
    router.replace("/login");
  }, [router]);

  const value = useMemo<SessionContextValue>(
    () => ({
      status,
      user: stored?.user ?? null,
      balance: stored?.user.credits_balance ?? null,
      refreshBalance,
      signIn,
      signOut,
    }),
    [status, stored, refreshBalance, signIn, signOut],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession must be used inside <SessionProvider>");
  return value;
}
