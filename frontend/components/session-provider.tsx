"use client";

import {
  createContext,
  startTransition,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { getBalance, getMe, getPrices } from "@/lib/api";
import {
  clearSession,
  readSession,
  saveSession,
  saveUser,
  subscribeSession,
  syncTokenCookie,
  type StoredSession,
} from "@/lib/session";
import type { Prices, Session, User } from "@/lib/types";

type SessionStatus = "loading" | "signed-out" | "signed-in";

/** What a component does to the session; the same functions for the page's whole life. */
interface SessionActions {
  /** The balance a spending call answered (its `balance` field). */
  setBalance: (balance: number) => void;
  /** Ask the API for the balance: when a spending call failed (402, 502 refunded, network). */
  refreshBalance: () => Promise<void>;
  signIn: (session: Session) => void;
  /** Forget the session; the dashboard's guard then goes to /login. */
  signOut: () => void;
}

interface SessionContextValue extends SessionActions {
  /** "loading" until the browser's stored session has been read (never during server render). */
  status: SessionStatus;
  user: User | null;
  /** The credits balance as last seen by the browser. */
  balance: number | null;
  /** What each AI call costs; null until the API said (show no number meanwhile). */
  prices: Prices | null;
  /** The marketer pressed Sign out in this tab: /login then keeps no page to return to. */
  signedOutHere: boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);
// The actions alone, in a context of their own that never changes: a component that only acts
// on the session (pays, refreshes the balance) is not rendered again when the profile, the
// balance or the prices arrive, as an asset's whole workspace was, twice, while a phone loaded it.
const SessionActionsContext = createContext<SessionActions | null>(null);

/** Store a balance in the session (and so in every tab), keeping the token and profile. */
function storeBalance(balance: number): void {
  const current = readSession();
  if (current && current.user.credits_balance !== balance) saveUser({ ...current.user, credits_balance: balance });
}

export function SessionProvider({ children }: { children: ReactNode }) {
  // The server knows no session: both stay unset while hydrating. The browser's stored session
  // is read once hydrated, in a transition: the signed-in page it fills in (balance, prices,
  // each consumer of the session) renders in slices rather than one long task. Later changes
  // (sign-in, sign-out, a new balance, another tab's) apply at once.
  const [hydrated, setHydrated] = useState(false);
  const [stored, setStored] = useState<StoredSession | null>(null);
  useEffect(() => {
    syncTokenCookie();
    startTransition(() => {
      setStored(readSession());
      setHydrated(true);
    });
    return subscribeSession(() => setStored(readSession()));
  }, []);
  const [prices, setPrices] = useState<Prices | null>(null);

  const status: SessionStatus = !hydrated ? "loading" : stored ? "signed-in" : "signed-out";
  const signedInUserId = stored?.user.id ?? null;

  // Balances arrive out of order (a slow GET /me from page load after a spending answer): each
  // reading takes a ticket when it starts, and one older than the last balance shown is ignored.
  const tickets = useRef({ issued: 0, shown: 0 });
  const takeTicket = useCallback(() => ++tickets.current.issued, []);
  /** True (and the balance stored) unless a newer reading was already shown. */
  const showBalance = useCallback((ticket: number, balance: number): boolean => {
    if (ticket < tickets.current.shown) return false;
    tickets.current.shown = ticket;
    storeBalance(balance);
    return true;
  }, []);

  // Once per sign-in (and page load): the user's current profile and balance, and the prices.
  // Shown in transitions, like the page's own reads: an urgent update arriving while React
  // renders a page's data in a transition would throw that render away and start it again.
  useEffect(() => {
    if (!signedInUserId) return;
    let cancelled = false;
    const ticket = takeTicket();
    getMe()
      .then((me) => {
        const current = readSession();
        if (cancelled || current?.user.id !== me.id) return;
        if (ticket < tickets.current.shown) {
          startTransition(() => saveUser({ ...me, credits_balance: current.user.credits_balance }));
        } else {
          tickets.current.shown = ticket;
          startTransition(() => saveUser(me));
        }
      })
      .catch(() => {
        // A 401 already signed us out; other failures leave the stored profile as it was.
      });
    getPrices()
      .then((p) => {
        if (!cancelled) startTransition(() => setPrices(p));
      })
      .catch(() => {
        // No prices known: the forms show no cost rather than a guess.
      });
    return () => {
      cancelled = true;
    };
  }, [signedInUserId, takeTicket]);

  const setBalance = useCallback((balance: number) => void showBalance(takeTicket(), balance), [showBalance, takeTicket]);

  const refreshBalance = useCallback(async () => {
    const ticket = takeTicket();
    try {
      const { balance } = await getBalance();
      showBalance(ticket, balance);
    } catch {
      // The header keeps the last known balance; the page shows its own error.
    }
  }, [showBalance, takeTicket]);

  // A session that ended by itself (expired, signed out in another tab) sends the page to
  // /login?next=…; one ended with Sign out here goes to plain /login.
  const [signedOutHere, setSignedOutHere] = useState(false);
  const signIn = useCallback((session: Session) => {
    setSignedOutHere(false);
    saveSession(session);
  }, []);

  const signOut = useCallback(() => {
    setSignedOutHere(true);
    clearSession();
  }, []);

  const actions = useMemo<SessionActions>(
    () => ({ setBalance, refreshBalance, signIn, signOut }),
    [setBalance, refreshBalance, signIn, signOut],
  );
  const value = useMemo<SessionContextValue>(
    () => ({
      ...actions,
      status,
      user: stored?.user ?? null,
      balance: stored?.user.credits_balance ?? null,
      prices,
      signedOutHere,
    }),
    [actions, status, stored, prices, signedOutHere],
  );

  return (
    <SessionActionsContext.Provider value={actions}>
      <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
    </SessionActionsContext.Provider>
  );
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession must be used inside <SessionProvider>");
  return value;
}

/** The session's actions without its state: for a component that acts on the session but shows
 * none of it (it is not rendered again when the profile, the balance or the prices change). */
export function useSessionActions(): SessionActions {
  const actions = useContext(SessionActionsContext);
  if (!actions) throw new Error("useSessionActions must be used inside <SessionProvider>");
  return actions;
}
