/**
 * Server only (it reads the request's cookies through next/headers, which Next refuses to bundle
 * for the browser; the `server-only` package is not installed): a detail page's record, read
 * from the API as the signed-in browser would, so that its first HTML carries it.
 *
 * Any failure (no cookie, 401, 404, a slow or unreachable API, a body that is not JSON) is
 * null, never an error: the page then renders as before and the browser reads the record
 * itself (with its "not found" and sign-out-on-401 handling).
 */
import { cookies } from "next/headers";
import { cache } from "react";
import { env } from "./env";
import { TOKEN_COOKIE } from "./token-cookie";
import type { Asset, Campaign } from "./types";

/**
 * The page's first byte waits for the read (the detail pages), so it is capped:
 * past this the page is sent without the record, and the browser's own read, which would meet
 * the same slow API, takes over.
 */
const TIMEOUT_MS = 1500;

/**
 * GET `path` with the cookie's token. In React's cache: the page and its generateMetadata
 * read the record once per request (Next dedupes no `no-store` fetch).
 */
const readAsSignedIn = cache(async (path: string): Promise<unknown> => {
  try {
    const token = (await cookies()).get(TOKEN_COOKIE)?.value;
    if (!token) return null;
    const response = await fetch(`${env.NEXT_PUBLIC_API_URL}${path}`, {
      headers: { Accept: "application/json", Authorization: `Bearer ${token}` },
      cache: "no-store",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) return null;
    return (await response.json()) as unknown;
  } catch {
    return null;
  }
});

/** The record with this id, if the API answered one (a body of another shape counts as none). */
async function readRecord<T extends { id: string }>(collection: string, id: string): Promise<T | null> {
  const body = await readAsSignedIn(`/api/v1/${collection}/${encodeURIComponent(id)}`);
  return typeof body === "object" && body !== null && "id" in body && body.id === id ? (body as T) : null;
}

export function readAsset(id: string): Promise<Asset | null> {
  return readRecord<Asset>("assets", id);
}

export function readCampaign(id: string): Promise<Campaign | null> {
  return readRecord<Campaign>("campaigns", id);
}
