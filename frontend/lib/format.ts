import { groupThousands, handFormatted, type Writing } from "./numbers";
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

/** A ledger row's reason in words. */
export function ledgerReasonLabel(reason: string): string {
  return LEDGER_REASONS[reason] ?? humanize(reason);
}

// ---- dates ------------------------------------------------------------------------------
//
// As with numbers (lib/numbers.ts): written by hand in an en-US browser, exactly as Intl would,
// since the first use of Intl in a page loads ICU's locale data; Intl in any other language.

/** An Intl formatter, made on first use (most pages never need one). */
function lazily<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

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

/** "Jan 5, 2026", as en-US Intl writes it. */
function handDate(date: Date): string {
  return `${MONTHS[date.getMonth()]} ${date.getDate()}, ${date.getFullYear()}`;
}

/** A calendar date (`YYYY-MM-DD`), shown without a timezone shift. */
export function formatDate(value: string | null | undefined, writing: Writing = "browser"): string {
  if (!value) return "—";
  const [y, m, d] = value.slice(0, 10).split("-").map(Number);
  if (!y || !m || !d) return value;
  const date = new Date(y, m - 1, d);
  return handFormatted || writing === "fixed" ? handDate(date) : dateFormat().format(date);
}

/** A campaign's dates, "Mar 1, 2026 – Apr 30, 2026" (a missing end shows "—"); null when neither is set. */
export function formatDateRange(
  start: string | null | undefined,
  end: string | null | undefined,
  writing: Writing = "browser",
): string | null {
  if (!start && !end) return null;
  return `${formatDate(start, writing)} – ${formatDate(end, writing)}`;
}

/** "9:05 AM" as "09:05 AM". */
function handClock(hours: number, minutes: number): string {
  const clock = [hours % 12 || 12, minutes].map((n) => String(n).padStart(2, "0")).join(":");
  return `${clock} ${hours < 12 ? "AM" : "PM"}`;
}

/** "Jan 5, 2026, 09:05 AM" in en-US; fixed: the same in UTC (components/date-time-text.tsx keeps it unseen). */
export function formatDateTime(value: string | null | undefined, writing: Writing = "browser"): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  if (writing === "fixed") {
    const day = `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
    return `${day}, ${handClock(date.getUTCHours(), date.getUTCMinutes())}`;
  }
  if (!handFormatted) return dateTimeFormat().format(date);
  return `${handDate(date)}, ${handClock(date.getHours(), date.getMinutes())}`;
}

const relative = lazily(() => new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }));

type RelativeUnit = "minute" | "hour" | "day";

/** `(-3, "minute")` -> "3 minutes ago", as en-US Intl writes it (numeric: "auto"). */
function handRelative(value: number, unit: RelativeUnit): string {
  if (unit === "day" && (value === -1 || value === 1)) return value < 0 ? "yesterday" : "tomorrow";
  if (value === 0) return unit === "day" ? "today" : `this ${unit}`;
  const n = Math.abs(value);
  const span = `${groupThousands(n)} ${unit}${n === 1 ? "" : "s"}`;
  return value < 0 ? `${span} ago` : `in ${span}`;
}

function relativeTo(value: number, unit: RelativeUnit): string {
  return handFormatted ? handRelative(value, unit) : relative().format(value, unit);
}

/** "3 minutes ago", falling back to the date after a week. */
export function formatRelative(value: string, now: number = Date.now()): string {
  const then = new Date(value).getTime();
  if (Number.isNaN(then)) return value;
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 45 * 60) return relativeTo(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return relativeTo(Math.round(seconds / 3600), "hour");
  if (abs < 7 * 86400) return relativeTo(Math.round(seconds / 86400), "day");
  return formatDate(value);
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
