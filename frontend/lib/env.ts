import { z } from "zod";

/**
 * The browser-visible settings, read and checked once. `NEXT_PUBLIC_*` values are inlined at
 * build time only when referenced literally, so each is spelled out below; an empty value
 * counts as unset.
 *
 * An unset NEXT_PUBLIC_API_URL means the local API (http://127.0.0.1:3001), for `next dev` and
 * local `next build`s. On Vercel (`VERCEL` is set during its builds) that default would ship a
 * site calling the visitor's own machine, so there the build stops here unless the URL is set
 * and https.
 */
const LOCAL_API_URL = "http://127.0.0.1:3001";

const schema = z.object({
  NEXT_PUBLIC_API_URL: z
    .url({ protocol: /^https?$/, error: "NEXT_PUBLIC_API_URL must be an http(s) URL" })
    .default(LOCAL_API_URL)
    .transform((url) => url.replace(/\/+$/, "")),
  NEXT_PUBLIC_GOOGLE_CLIENT_ID: z.string().trim().min(1).optional(),
});

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
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

export const env = schema.parse({
  NEXT_PUBLIC_API_URL: apiUrl,
  NEXT_PUBLIC_GOOGLE_CLIENT_ID: blankToUndefined(process.env.NEXT_PUBLIC_GOOGLE_CLIENT_ID),
});
