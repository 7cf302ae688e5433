/**
 * The API's shapes under the names the app uses, taken from `lib/api-types.ts` (generated from
 * the functions' OpenAPI by `npm run gen:api`; `make test` fails when it is stale). Names are
 * snake_case as on the wire; ids are UUID strings, times ISO-8601 UTC strings, dates `YYYY-MM-DD`.
 * Only shapes the API does not name (a generic page, narrower views of its maps) are written here.
 */
import type { components } from "./api-types";

type Schemas = components["schemas"];

/** A channel id, as `GET /channels` lists them (the one table: no copy of it lives here). The
 * OpenAPI spells the ids out in request bodies; the app sends ids it read, and the API checks. */
export type Channel = string;
type WithChannels<T, K extends keyof T, C> = Omit<T, K> & { [F in K]?: C };

// ---- auth -------------------------------------------------------------------------------

export type User = Schemas["UserPublic"];
export type Role = User["role"];
export type Session = Schemas["SessionPublic"];
export type GoogleSignIn = Schemas["GoogleSignIn"];
export type DevTokenRequest = Schemas["DevTokenRequest"];

// ---- billing ----------------------------------------------------------------------------

/** `owed`, only while above 0: credits a refunded purchase could not take back (already spent);
 * nothing can be spent meanwhile, and the next purchase settles them first. */
export type Balance = Schemas["BalancePublic"];
export type LedgerEntry = Schemas["LedgerEntry"];
/** `credits_purchased`: credits bought (packs); absent when none were. */
export type UsageDay = Schemas["UsageDay"];
export type UsageTotals = Schemas["UsageTotals"];
export type UsageSummary = Schemas["UsageSummary"];
/** A pack of credits on sale (`GET /credits/packs`); `price_cents` in the currency's minor
 * unit, `currency` ISO 4217 in lower case. */
export type CreditPack = Schemas["PackPublic"];
export type CheckoutRequest = Schemas["CheckoutCreate"];
/** `POST /credits/checkout`: send the buyer to `checkout_url` (Stripe Checkout, or the local stand-in). */
export type CheckoutSession = Schemas["CheckoutSession"];
/** GET /credits/prices: credits per call (`text` per variant; `regenerate` of a text asset, `image` for images). */
export type Prices = Schemas["Prices"];

// ---- campaigns --------------------------------------------------------------------------

export type Campaign = Schemas["CampaignPublic"];
export type CampaignStatus = Campaign["status"];
export type CampaignCreate = WithChannels<Schemas["CampaignCreate"], "channels", Channel[]>;
export type CampaignUpdate = WithChannels<Schemas["CampaignUpdate"], "channels", Channel[]>;
export type StatusChange = Schemas["StatusChange"];


/** The limit one asset type's copy is written to on a channel (`measure`: `content`, the whole
 * copy; `subject_line`, an email's first line after "Subject: "). */
export type AssetLimit = Schemas["AssetLimit"];

/** Characters per SMS message: one alone, or each of several (`gsm7` or `ucs2` text). */
export type SmsSegmentSizes = Record<"gsm7" | "ucs2", { single: number; multipart: number }>;

/** GET /channels: a channel, its limits, and what each asset type's copy counts against (an
 * asset type missing from `asset_limits` has no limit on this channel). The API types
 * `segments` as a map of maps; this is the one it sends (SMS only). */
export type ChannelInfo = Omit<Schemas["ChannelPublic"], "segments"> & {
  segments?: SmsSegmentSizes | null;
};

// ---- assets -----------------------------------------------------------------------------

export type Asset = Schemas["AssetPublic"];
export type AssetKind = Asset["kind"];
export type AssetStatus = Asset["status"];
export type AssetVersion = Schemas["AssetVersionPublic"];
export type VersionSource = AssetVersion["source"];
export type VersionHistory = Schemas["VersionHistory"];
export type AssetCreate = Schemas["AssetCreate"];
export type AssetUpdate = Schemas["AssetUpdate"];

// ---- ai ---------------------------------------------------------------------------------

/** `channel`: a channel id (GET /channels): its length limit binds the copy. */
export type GenerateTextRequest = WithChannels<Schemas["GenerateTextRequest"], "channel", Channel | null>;
export type AssetType = GenerateTextRequest["asset_type"];
/** `limit`: the length limit every asset's copy is within, when a channel bound it. */
export type GenerateTextResult = Schemas["GenerateTextResponse"];
export type ProviderName = GenerateTextResult["provider"];
export type SuggestionsRequest = WithChannels<Schemas["SuggestionsRequest"], "channel", Channel | null>;
export type SuggestionKind = SuggestionsRequest["kind"];
export type SuggestionsResult = Schemas["SuggestionsResponse"];
export type RefineRequest = Schemas["RefineRequest"];
export type RegenerateRequest = Schemas["RegenerateRequest"];
/** `Asset` at its new version, plus what the call cost (refine; regenerate of a text asset). */
export type AiAssetResult = Schemas["AiAssetResponse"];

/** POST /ai/generate-image. `width` and `height`: 512..1536, multiples of 64 (lib/image-sizes.ts). */
export type GenerateImageRequest = Schemas["GenerateImageRequest"];
/** Milliseconds the provider reported: waiting for a GPU, then painting (null until known). */
export type JobProgress = Schemas["JobProgress"];
export type Job = Schemas["JobPublic"];
export type JobStatus = Job["status"];
/** What an image job paints: a new image asset, or a new version of one. */
export type JobSource = Job["source"];
/** Who paints images: SDXL on RunPod, or the offline painter in dev and tests. */
export type ImageProviderName = Job["provider"];
/** The 202 answer of an image generation or of regenerating an image asset. */
export type ImageJobAccepted = Schemas["ImageJobAccepted"];

// ---- lists and errors -------------------------------------------------------------------

/** A cursor page of any list (the API names one schema per item type: `Page_AssetPublic_`, …). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type ValidationIssue = Schemas["ValidationIssue"];
export type ApiErrorDetail = Schemas["ErrorBody"];
export type ApiErrorBody = Schemas["ErrorEnvelope"];
