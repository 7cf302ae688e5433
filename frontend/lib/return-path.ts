/**
 * Where sign-in returns to: a page opened without a session (a shared link, a bookmark, an
 * expired session) goes to /login?next=<that page>, and signing in goes back there. Only a path
 * on this site is followed, so a crafted link cannot send a marketer elsewhere after sign-in.
 */
export const HOME_PATH = "/campaigns";

/** The sign-in page, remembering `current` (a path and query) unless it is the home page. */
export function loginPath(current: string): string {
  return current === HOME_PATH || current === "/" ? "/login" : `/login?next=${encodeURIComponent(current)}`;
}

/** The page to go to after signing in, from the sign-in page's query string. */
export function returnPath(search: string, origin: string): string {
  const next = new URLSearchParams(search).get("next");
  if (!next?.startsWith("/")) return HOME_PATH;
  try {
    const url = new URL(next, origin);
    return url.origin === origin && !url.pathname.startsWith("/login") ? url.pathname + url.search : HOME_PATH;
  } catch {
    return HOME_PATH;
  }
}
