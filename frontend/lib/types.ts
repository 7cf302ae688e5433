/**
 * The shapes of API.md (`/work/shared/API.md`), field for field. Names are snake_case as on the
 * wire; ids are UUID strings, times ISO-8601 UTC strings, dates `YYYY-MM-DD`.
 * Keep one `export interface Name { ... }` per schema and one field per line: a backend test
 * checks these against the functions' OpenAPI schemas.
 */

// ---- auth -------------------------------------------------------------------------------

export type Role = "user" | "admin";

export interface User {
  id: string;
  email: string;
  name: string | null;
  avatar_url: string | null;
  role: Role;
  credits_balance: number;
  created_at: string;
}

export interface Session {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  user: User;
}

export interface GoogleSignIn {
  id_token: string;
}

export interface DevTokenRequest {
  email: string;
  name?: string | null;
}

// ---- billing ----------------------------------------------------------------------------

export interface Balance {
  balance: number;
  /** Only while above 0: credits a refunded purchase could not take back (already spent);
   * nothing can be spent meanwhile, and the next purchase settles them first. */
  owed?: number;
}

export interface LedgerEntry {
  id: string;
  delta: number;
  balance_after: number;
  reason: string;
  ref_type: string | null;
  ref_id: string | null;
  created_at: string;
}

export interface UsageDay {
  date: string;
  credits_spent: number;
  text_generations: number;
  image_generations: number;
  /** Credits bought (packs); absent when none were. */
  credits_purchased?: number;
}

export interface UsageTotals {
  credits_spent: number;
  text_generations: number;
  image_generations: number;
  /** Credits bought (packs); absent when none were. */
  credits_purchased?: number;
}

/** A pack of credits on sale (`GET /credits/packs`). */
export interface CreditPack {
  id: string;
  credits: number;
  /** In the currency's minor unit (cents). */
  price_cents: number;
  /** ISO 4217, lower case. */
  currency: string;
}

export interface CheckoutRequest {
  pack: string;
}

/** `POST /credits/checkout`: send the buyer to `checkout_url` (Stripe Checkout, or the local stand-in). */
export interface CheckoutSession {
  session_id: string;
  checkout_url: string;
}

export interface UsageSummary {
  days: UsageDay[];
  totals: UsageTotals;
}

// ---- campaigns --------------------------------------------------------------------------

export type CampaignStatus = "draft" | "active" | "paused" | "completed" | "archived";

/** A channel id, as `GET /channels` lists them (the one table: no copy of it lives here). */
export type Channel = string;

/** The limit one asset type's copy is written to on a channel. */
export interface AssetLimit {
  field: string;
  limit: number;
  /** `content`: the whole copy; `subject_line`: an email's first line after "Subject: ". */
  measure: "content" | "subject_line";
}

/** Characters per SMS message: one alone, or each of several (`gsm7` or `ucs2` text). */
export type SmsSegmentSizes = Record<"gsm7" | "ucs2", { single: number; multipart: number }>;

/** GET /channels: a channel, its limits, and what each asset type's copy counts against. */
export interface ChannelInfo {
  id: string;
  label: string;
  limits: Record<string, number>;
  /** An asset type missing here has no limit on this channel. */
  asset_limits: Record<string, AssetLimit>;
  segments?: SmsSegmentSizes | null;
}

export interface Campaign {
  id: string;
  name: string;
  objective: string | null;
  audience: string | null;
  channels: string[];
  brand_voice: string | null;
  status: CampaignStatus;
  start_date: string | null;
  end_date: string | null;
  asset_count: number;
  created_at: string;
  updated_at: string;
}

export interface CampaignCreate {
  name: string;
  objective?: string | null;
  audience?: string | null;
  channels?: Channel[];
  brand_voice?: string | null;
  start_date?: string | null;
  end_date?: string | null;
}

export interface StatusChange {
  status: CampaignStatus;
}

// ---- assets -----------------------------------------------------------------------------

export type AssetKind = "text" | "image";

export type AssetStatus = "ready" | "pending" | "failed";

export type VersionSource = "manual" | "ai_generate" | "ai_refine" | "ai_regenerate";

export interface Asset {
  id: string;
  kind: AssetKind;
  asset_type?: string | null;
  title: string;
  campaign_id: string | null;
  current_version: number;
  latest_version: number;
  content: string | null;
  storage_url: string | null;
  metadata: Record<string, unknown>;
  status: AssetStatus;
  created_at: string;
  updated_at: string;
}

export interface AssetVersion {
  version: number;
  title?: string | null;
  content: string | null;
  storage_url: string | null;
  source: VersionSource;
  created_at: string;
}

export interface VersionHistory {
  items: AssetVersion[];
  current_version: number;
}

export interface AssetCreate {
  kind: AssetKind;
  title: string;
  content?: string | null;
  campaign_id?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface AssetUpdate {
  content?: string | null;
  title?: string | null;
  metadata?: Record<string, unknown> | null;
}

// ---- ai ---------------------------------------------------------------------------------

export type AssetType = "headline" | "ad_copy" | "social_post" | "email" | "landing_page" | "tagline";

export type SuggestionKind = "headline" | "cta" | "hashtags" | "angles";

export type ProviderName = "deepseek" | "mock";

/** Who paints images: SDXL on RunPod, or the offline painter in dev and tests. */
export type ImageProviderName = "runpod" | "mock";

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "timed_out";

/** What an image job paints: a new image asset, or a new version of one. */
export type JobSource = "ai_generate" | "ai_regenerate";

export interface GenerateTextRequest {
  prompt: string;
  asset_type: AssetType;
  campaign_id?: string | null;
  tone?: string | null;
  variants?: number;
  /** A channel id (GET /channels): its length limit binds the copy. */
  channel?: string | null;
}

export interface GenerateTextResult {
  assets: Asset[];
  credits_charged: number;
  balance: number;
  provider: ProviderName;
  channel: string | null;
  /** The length limit every asset's copy is within, when a channel bound it. */
  limit: number | null;
}

export interface SuggestionsRequest {
  campaign_id?: string | null;
  context?: string | null;
  kind: SuggestionKind;
  count?: number;
  channel?: string | null;
}

export interface SuggestionsResult {
  suggestions: string[];
  credits_charged: number;
  balance: number;
  provider: ProviderName;
  channel: string | null;
  limit: number | null;
}

export interface RefineRequest {
  asset_id: string;
  instruction: string;
}

export interface RegenerateRequest {
  asset_id: string;
}

/** GET /credits/prices: credits per call (`text` per variant; `regenerate` of a text asset, `image` for images). */
export interface Prices {
  text: number;
  suggestions: number;
  refine: number;
  regenerate: number;
  image: number;
}

/** `Asset` at its new version, plus what the call cost (refine; regenerate of a text asset). */
export interface AiAssetResult extends Asset {
  credits_charged: number;
  balance: number;
  provider: ProviderName;
}

/** POST /ai/generate-image. `width` and `height`: 512..1536, multiples of 64 (lib/image-sizes.ts). */
export interface GenerateImageRequest {
  prompt: string;
  negative_prompt?: string | null;
  campaign_id?: string | null;
  width?: number;
  height?: number;
  seed?: number | null;
}

/** Milliseconds the provider reported: waiting for a GPU, then painting (null until known). */
export interface JobProgress {
  queue_ms: number | null;
  execution_ms: number | null;
}

export interface Job {
  id: string;
  kind: "image";
  status: JobStatus;
  asset_id: string;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  provider: ImageProviderName;
  source: JobSource;
  progress: JobProgress;
}

/** The 202 answer of an image generation or of regenerating an image asset. */
export interface ImageJobAccepted {
  job: Job;
  asset_id: string;
  credits_charged: number;
  balance: number;
  provider: ImageProviderName;
}

// ---- lists and errors -------------------------------------------------------------------

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
}

export interface ApiErrorDetail {
  code: string;
  message: string;
  request_id: string;
  details?: ValidationIssue[];
}

export interface ApiErrorBody {
  error: ApiErrorDetail;
}
