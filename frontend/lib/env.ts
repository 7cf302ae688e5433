import { z } from "zod";

/**
 * The browser-visible settings, read and checked once. `NEXT_PUBLIC_*` values are inlined at
 * build time only when referenced literally, so each is spelled out below; an empty value
 * counts as unset.
 */
const schema = z.object({
  NEXT_PUBLIC_API_URL: z
    .url({ protocol: /^https?$/, error: "NEXT_PUBLIC_API_URL must be an http(s) URL" })
    .default("http://127.0.0.1:3001")
    .transform((url) => url.replace(/\/+$/, "")),
  NEXT_PUBLIC_GOOGLE_CLIENT_ID: z.string().trim().min(1).optional(),
});

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

export const env = schema.parse({
  NEXT_PUBLIC_API_URL: blankToUndefined(process.env.NEXT_PUBLIC_API_URL),
  NEXT_PUBLIC_GOOGLE_CLIENT_ID: blankToUndefined(process.env.NEXT_PUBLIC_GOOGLE_CLIENT_ID),
});

export type Env = z.infer<typeof schema>;
