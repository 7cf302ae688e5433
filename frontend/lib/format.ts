import type { AssetType, CampaignStatus, SuggestionKind, VersionSource } from "./types";

/** Human labels for the API's enum values. */
export const ASSET_TYPE_LABELS: Record<AssetType, string> = {
  headline: "Headline",
  ad_copy: "Ad copy",
  social_post: "Social post",
  email: "Email",
  landing_page: "Landing page",
  tagline: "Tagline",
};

export const SUGGESTION_KIND_LABELS: Record<SuggestionKind, string> = {
  headline: "Headlines",
  cta: "Calls to action",
  hashtags: "Hashtags",
  angles: "Angles",
};

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: "Draft",
  active: "Active",
  paused: "Paused",
  completed: "Completed",
  archived: "Archived",
};

export const VERSION_SOURCE_LABELS: Record<VersionSource, string> = {
  manual: "Manual edit",
  ai_generate: "AI generated",
  ai_refine: "AI refined",
  ai_regenerate: "AI regenerated",
};

/** `landing_page` -> `Landing page`; `ai_refine` -> `AI refine`. */
export function humanize(value: string): string {
  const words = value.replace(/_/g, " ").trim().replace(/\bai\b/gi, "AI");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const LEDGER_REASONS: Record<string, string> = {
  signup_grant: "Sign-up grant",
  refund: "Refund",
  purchase: "Credits bought",
  purchase_refund: "Purchase refunded",
};

/** A price in a currency's minor unit: `(500, "usd")` -> `$5.00`. */
export function formatPrice(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}

/** A ledger row's reason in words. */
export function ledgerReasonLabel(reason: string): string {
  return LEDGER_REASONS[reason] ?? humanize(reason);
}

/**
 * An Intl formatter, made on first use: building one loads the locale's data, tens of
 * milliseconds on a phone, and this module is in every dashboard page's first load (the
 * header's balance) while most pages show no date at all.
 */
function lazily<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

const dateFormat = lazily(() => new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" }));
const dateTimeFormat = lazily(
  () =>
    new Intl.DateTimeFormat(undefined, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    }),
);

/** A calendar date (`YYYY-MM-DD`), shown without a timezone shift. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const [y, m, d] = value.slice(0, 10).split("-").map(Number);
  if (!y || !m || !d) return value;
  return dateFormat().format(new Date(y, m - 1, d));
}

/** A campaign's dates, "Mar 1, 2026 – Apr 30, 2026" (a missing end shows "—"); null when neither is set. */
export function formatDateRange(start: string | null | undefined, end: string | null | undefined): string | null {
  if (!start && !end) return null;
  return `${formatDate(start)} – ${formatDate(end)}`;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTimeFormat().format(date);
}

const relative = lazily(() => new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }));

/** "3 minutes ago", falling back to the date after a week. */
export function formatRelative(value: string, now: number = Date.now()): string {
  const then = new Date(value).getTime();
  if (Number.isNaN(then)) return value;
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 45 * 60) return relative().format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return relative().format(Math.round(seconds / 3600), "hour");
  if (abs < 7 * 86400) return relative().format(Math.round(seconds / 86400), "day");
  return formatDate(value);
}

export function formatCredits(n: number): string {
  return `${n.toLocaleString()} ${Math.abs(n) === 1 ? "credit" : "credits"}`;
}

export function formatDelta(n: number): string {
  return n > 0 ? `+${n.toLocaleString()}` : n < 0 ? `−${Math.abs(n).toLocaleString()}` : "0";
}

export function preview(text: string | null | undefined, max = 160): string {
  if (!text) return "";
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A span of time for progress: "8 s", "1 min 05 s". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}
