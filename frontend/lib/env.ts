/**
 * The browser-visible settings, read and checked once. `NEXT_PUBLIC_*` values are inlined at
 * build time only when referenced literally, so each is spelled out below; an empty value
 * counts as unset.
 *
 * An unset NEXT_PUBLIC_API_URL means the local API (http://127.0.0.1:3001), for `next dev` and
 * local `next build`s. On Vercel (`VERCEL` is set during its builds) that default would ship a
 * site calling the visitor's own machine, so there the build stops here unless the URL is set
 * and https.
 *
 * Checked by hand rather than with a schema library: this module is in every route's bundle,
 * and zod cost each of them ~29 kB (gzip) of first-load JS for two values.
 */
const LOCAL_API_URL = "http://127.0.0.1:3001";

export type Env = {
  /** The API's origin (and path prefix, if any), without a trailing slash. */
  NEXT_PUBLIC_API_URL: string;
  NEXT_PUBLIC_GOOGLE_CLIENT_ID?: string;
};

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function httpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an http(s) URL (got ${JSON.stringify(value)})`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`${name} must be an http(s) URL (got ${JSON.stringify(value)})`);
  }
  return value.replace(/\/+$/, "");
}

const apiUrl = blankToUndefined(process.env.NEXT_PUBLIC_API_URL);

// `VERCEL` is not a NEXT_PUBLIC_ value: it is seen where the build runs (server code,
// prerendering), never in the browser bundle, which is what the build check needs.
if (process.env.VERCEL && !apiUrl?.startsWith("https://")) {
  throw new Error(
    `NEXT_PUBLIC_API_URL must be set to the API's https URL for a Vercel build (got ${
      apiUrl === undefined ? "nothing" : JSON.stringify(apiUrl)
    }): set it in the project's environment variables and build again.`,
  );
}

if (apiUrl === undefined && process.env.NODE_ENV === "production" && typeof window === "undefined") {
  console.warn(`NEXT_PUBLIC_API_URL is unset: this production build calls the local API at ${LOCAL_API_URL}.`);
}

const googleClientId = blankToUndefined(process.env.NEXT_PUBLIC_GOOGLE_CLIENT_ID)?.trim();

export const env: Env = {
  NEXT_PUBLIC_API_URL: httpUrl("NEXT_PUBLIC_API_URL", apiUrl ?? LOCAL_API_URL),
  ...(googleClientId ? { NEXT_PUBLIC_GOOGLE_CLIENT_ID: googleClientId } : {}),
};
