import { writeTokenCookie } from "./token-cookie";
import type { Session, User } from "./types";

/**
 * The signed-in session, `{access_token, user}`, kept in localStorage. Components read it
 * through `SessionProvider` (components/session-provider.tsx); this module is the only place
 * that touches the storage key, and it tells subscribers (this tab and others) when it changes.
 * The token is mirrored in a cookie (lib/token-cookie.ts) for the frontend's own server.
 */
export interface StoredSession {
  access_token: string;
  user: User;
}

export const STORAGE_KEY = "asset-engine.session";
const CHANGE_EVENT = "asset-engine:session";

let cachedRaw: string | null = null;
let cachedSession: StoredSession | null = null;

function parse(raw: string | null): StoredSession | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (
      typeof value === "object" &&
      value !== null &&
      "access_token" in value &&
      typeof value.access_token === "string" &&
      "user" in value &&
      typeof value.user === "object" &&
      value.user !== null
    ) {
      return value as StoredSession;
    }
  } catch {
    // A corrupt entry is the same as none.
  }
  return null;
}

/** The current session, or null. The same object is returned until the stored value changes. */
export function readSession(): StoredSession | null {
  if (typeof window === "undefined") return null;
  const raw = window.localStorage.getItem(STORAGE_KEY);
  if (raw !== cachedRaw) {
    cachedRaw = raw;
    cachedSession = parse(raw);
  }
  return cachedSession;
}

export function accessToken(): string | null {
  return readSession()?.access_token ?? null;
}

function announce(): void {
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

export function saveSession(session: Session | StoredSession): void {
  const stored: StoredSession = { access_token: session.access_token, user: session.user };
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
  writeTokenCookie(stored.access_token);
  announce();
}

/** Replace the stored user (after GET /me) and keep the token. */
export function saveUser(user: User): void {
  const current = readSession();
  if (current) saveSession({ access_token: current.access_token, user });
}

export function clearSession(): void {
  if (typeof window === "undefined") return;
  window.localStorage.removeItem(STORAGE_KEY);
  writeTokenCookie(null);
  announce();
}

/**
 * Once per page load: the cookie as the stored session says. A session saved before the cookie
 * existed (or seeded straight into localStorage) gets it; a cookie left without a session goes.
 */
export function syncTokenCookie(): void {
  writeTokenCookie(accessToken());
}

/** For `useSyncExternalStore`: call `onChange` when the session changes in any tab. */
export function subscribeSession(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key === STORAGE_KEY) onChange();
  };
  window.addEventListener(CHANGE_EVENT, onChange);
  window.addEventListener("storage", onStorage);
  return () => {
    window.removeEventListener(CHANGE_EVENT, onChange);
    window.removeEventListener("storage", onStorage);
  };
}
