/**
 * A copy of the session's access token in a cookie, kept in step with the stored session by
 * lib/session.ts. It exists for the frontend's own server: a detail page's server render reads
 * it (lib/server-read.ts) to put the record in the first HTML. The API never reads cookies (it
 * takes `Authorization: Bearer` only), so the browser sending this cookie along with a request
 * authorizes nothing there: no CSRF exposure. Readable by script, as localStorage already is.
 */
export const TOKEN_COOKIE = "asset-engine.token";

/** Seconds until the JWT's `exp` (read, not verified: the API verifies); null when it has none. */
function secondsLeft(token: string): number | null {
  try {
    const payload = token.split(".")[1];
    if (!payload) return null;
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
    const claims: unknown = JSON.parse(json);
    if (typeof claims !== "object" || claims === null || !("exp" in claims) || typeof claims.exp !== "number") {
      return null;
    }
    return Math.floor(claims.exp - Date.now() / 1000);
  } catch {
    return null;
  }
}

/** Write the cookie for `token`, or remove it (null, or a token already expired). */
export function writeTokenCookie(token: string | null): void {
  const attributes = `Path=/; SameSite=Lax${location.protocol === "https:" ? "; Secure" : ""}`;
  const left = token === null ? 0 : secondsLeft(token);
  if (token === null || (left !== null && left <= 0)) {
    document.cookie = `${TOKEN_COOKIE}=; Max-Age=0; ${attributes}`;
    return;
  }
  // No `exp`: a session cookie, gone with the browser.
  const maxAge = left === null ? "" : `; Max-Age=${left}`;
  document.cookie = `${TOKEN_COOKIE}=${encodeURIComponent(token)}${maxAge}; ${attributes}`;
}
