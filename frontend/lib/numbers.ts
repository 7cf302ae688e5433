/**
 * Counts, credits and prices as the browser writes them. Apart from lib/format.ts (labels and
 * dates) because the header's balance needs only these, on every dashboard page.
 *
 * The first use of Intl in a page loads ICU's locale data: 30-50 ms of one task on a laptop,
 * four times that on a phone, paid by the first balance, count or date a page renders. In a
 * browser whose language is en-US (or plain en, which Intl formats alike), these helpers (and
 * the dates in lib/format.ts) write the very strings Intl would, by hand; any other language
 * gets Intl, as before.
 */

/** True where the strings are written by hand (the browser's language is en-US or en). */
export const handFormatted = typeof navigator !== "undefined" && /^en(-US)?$/i.test(navigator.language);

/** `12345` -> `12,345`, as en-US `toLocaleString()` writes a whole number. */
export function groupThousands(n: number): string {
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ",");
  return n < 0 ? `-${digits}` : digits;
}

/**
 * How a count or a date is written: in the browser's way (its language, its time zone), or in
 * one fixed way (en-US, times in UTC) that the server, which knows neither, and the browser's
 * hydrating render agree on (lib/use-writing.ts picks).
 */
export type Writing = "browser" | "fixed";

/** A whole number in the browser's way: `12,345` in en-US. */
export function formatCount(n: number, writing: Writing = "browser"): string {
  return (handFormatted || writing === "fixed") && Number.isSafeInteger(n) ? groupThousands(n) : n.toLocaleString();
}

export function formatCredits(n: number): string {
  return `${formatCount(n)} ${Math.abs(n) === 1 ? "credit" : "credits"}`;
}

export function formatDelta(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(Math.abs(n))}` : "0";
}

/** A price in a currency's minor unit: `(500, "usd")` -> `$5.00`. */
export function formatPrice(cents: number, currency: string): string {
  if (handFormatted && currency.toLowerCase() === "usd" && Number.isSafeInteger(cents) && cents >= 0) {
    return `$${groupThousands(Math.trunc(cents / 100))}.${String(cents % 100).padStart(2, "0")}`;
  }
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}
