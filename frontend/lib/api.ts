/**
 * The one API client: every call the frontend makes to the asset-engine API lives here as a
 * named function. It attaches the bearer token, turns every non-2xx answer into an `ApiError`
 * (API.md's envelope), and handles a 401 in one place: the session is cleared, and the
 * dashboard's guard (components/dashboard-guard.tsx), seeing no session, goes to /login.
 */
import { takeEarlyResponse } from "./early-data";
import { env } from "./env";
import { accessToken, clearSession } from "./session";
import type {
  AiAssetResult,
  ApiErrorBody,
  ApiErrorDetail,
  Asset,
  AssetCreate,
  AssetKind,
  AssetUpdate,
  Balance,
  Campaign,
  CampaignCreate,
  CampaignUpdate,
  CampaignStatus,
  ChannelInfo,
  CheckoutRequest,
  CheckoutSession,
  CreditPack,
  DevTokenRequest,
  GenerateImageRequest,
  GenerateTextRequest,
  GoogleSignIn,
  GenerateTextResult,
  ImageJobAccepted,
  Job,
  LedgerEntry,
  Page,
  Prices,
  RefineRequest,
  RegenerateRequest,
  Session,
  StatusChange,
  SuggestionsRequest,
  SuggestionsResult,
  UsageSummary,
  User,
  ValidationIssue,
  VersionHistory,
} from "./types";

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly requestId: string | null;
  /** Seconds, from `Retry-After` (429). */
  readonly retryAfter: number | null;
  readonly details: ValidationIssue[];

  constructor(init: {
    code: string;
    message: string;
    status: number;
    requestId?: string | null;
    retryAfter?: number | null;
    details?: ValidationIssue[];
  }) {
    super(init.message);
    this.name = "ApiError";
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId ?? null;
    this.retryAfter = init.retryAfter ?? null;
    this.details = init.details ?? [];
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** A fresh key for a call that spends credits (lib/use-idempotency-key.ts decides when). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  // crypto.randomUUID needs a secure context; plain http on a LAN address is not one.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Query = Record<string, string | number | null | undefined>;

interface RequestOptions {
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  /** Send the bearer token and treat a 401 as "signed out" (false for the sign-in calls). */
  auth?: boolean;
}

function urlOf(path: string, query?: Query): string {
  const url = new URL(`${env.NEXT_PUBLIC_API_URL}${path}`);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, String(value));
  }
  return url.toString();
}

function isEnvelope(value: unknown): value is ApiErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as ApiErrorDetail).code === "string" &&
    typeof (error as ApiErrorDetail).message === "string"
  );
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall back to the status line.
  }
  const retryHeader = response.headers.get("Retry-After");
  const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader.trim()) ? Number(retryHeader) : null;
  const headerRequestId = response.headers.get("X-Request-Id");
  if (isEnvelope(body)) {
    return new ApiError({
      code: body.error.code,
      message: body.error.message,
      status: response.status,
      requestId: body.error.request_id ?? headerRequestId,
      retryAfter,
      details: Array.isArray(body.error.details) ? body.error.details : [],
    });
  }
  return new ApiError({
    code: response.status >= 500 ? "internal" : "bad_request",
    message: `The API answered ${response.status} ${response.statusText}`.trim() + ".",
    status: response.status,
    requestId: headerRequestId,
    retryAfter,
  });
}

async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const { body, query, headers = {}, auth = true } = options;
  const allHeaders: Record<string, string> = { Accept: "application/json", ...headers };
  if (body !== undefined) allHeaders["Content-Type"] = "application/json";
  const token = auth ? accessToken() : null;
  if (token) allHeaders.Authorization = `Bearer ${token}`;

  const url = urlOf(path, query);
  let response: Response;
  try {
    // A detail page's first read may already be on its way (lib/early-data.ts).
    const early = options.headers === undefined ? takeEarlyResponse(method, url, token) : null;
    response = await (early ??
      fetch(url, {
        method,
        headers: allHeaders,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      }));
  } catch {
    throw new ApiError({
      code: "network_error",
      message: `Could not reach the API at ${env.NEXT_PUBLIC_API_URL}. Check your connection and try again.`,
      status: 0,
    });
  }

  if (!response.ok) {
    const error = await errorOf(response);
    // Signed out: the dashboard's guard sees the session go and shows /login.
    if (response.status === 401 && auth) clearSession();
    throw error;
  }
  return response;
}

async function request<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
  const response = await send(method, path, options);
  return (await response.json()) as T;
}

const V1 = "/api/v1";

// ---- auth -------------------------------------------------------------------------------

/** `code`: a deployed preview's sign-in code, sent as `X-Dev-Sign-In-Code` (local servers ask none). */
export function signInWithDevToken(email: string, name?: string, code?: string): Promise<Session> {
  const body: DevTokenRequest = name ? { email, name } : { email };
  const headers: Record<string, string> = code ? { "X-Dev-Sign-In-Code": code } : {};
  return request<Session>("POST", `${V1}/dev-token`, { body, auth: false, headers });
}

export function signInWithGoogle(idToken: string): Promise<Session> {
  const body: GoogleSignIn = { id_token: idToken };
  return request<Session>("POST", `${V1}/auth/google`, { body, auth: false });
}

export function getMe(): Promise<User> {
  return request<User>("GET", `${V1}/me`);
}

// ---- billing ----------------------------------------------------------------------------

export function getBalance(): Promise<Balance> {
  return request<Balance>("GET", `${V1}/credits/balance`);
}

export function listLedger(cursor?: string | null): Promise<Page<LedgerEntry>> {
  return request<Page<LedgerEntry>>("GET", `${V1}/credits/ledger`, { query: { cursor } });
}

export function getUsageSummary(days: number): Promise<UsageSummary> {
  return request<UsageSummary>("GET", `${V1}/usage/summary`, { query: { days } });
}

export function listCreditPacks(): Promise<CreditPack[]> {
  return request<CreditPack[]>("GET", `${V1}/credits/packs`);
}

/** A Stripe Checkout Session for one pack; the same key answers the same session again. */
export function startCheckout(pack: string, idempotencyKey: string): Promise<CheckoutSession> {
  const body: CheckoutRequest = { pack };
  return request<CheckoutSession>("POST", `${V1}/credits/checkout`, {
    body,
    headers: { "Idempotency-Key": idempotencyKey },
  });
}

// ---- campaigns --------------------------------------------------------------------------

export function listCampaigns(
  params: { status?: CampaignStatus | null; cursor?: string | null; limit?: number } = {},
): Promise<Page<Campaign>> {
  return request<Page<Campaign>>("GET", `${V1}/campaigns`, {
    query: { status: params.status, cursor: params.cursor, limit: params.limit },
  });
}

export function createCampaign(body: CampaignCreate): Promise<Campaign> {
  return request<Campaign>("POST", `${V1}/campaigns`, { body });
}

export function getCampaign(id: string): Promise<Campaign> {
  return request<Campaign>("GET", `${V1}/campaigns/${encodeURIComponent(id)}`);
}

/** Change the details sent (null clears an optional one); the status has its own route. */
export function editCampaign(id: string, body: CampaignUpdate): Promise<Campaign> {
  return request<Campaign>("PATCH", `${V1}/campaigns/${encodeURIComponent(id)}`, { body });
}

export function setCampaignStatus(id: string, status: CampaignStatus): Promise<Campaign> {
  const body: StatusChange = { status };
  return request<Campaign>("PATCH", `${V1}/campaigns/${encodeURIComponent(id)}/status`, { body });
}

/** Every channel and its length limits (the editor's count, the generate form's choice). */
export function listChannels(): Promise<ChannelInfo[]> {
  return request<ChannelInfo[]>("GET", `${V1}/channels`);
}

export type ExportFormat = "csv" | "zip";

/** A campaign's assets as a file, named as the server names it (`<campaign>-<yyyymmdd>.csv`). */
export async function exportCampaign(
  campaign: Pick<Campaign, "id" | "name">,
  format: ExportFormat,
): Promise<{ blob: Blob; fileName: string }> {
  const response = await send("GET", `${V1}/campaigns/${encodeURIComponent(campaign.id)}/export`, {
    query: { format },
  });
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const named = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  return { blob: await response.blob(), fileName: named ?? exportFileName(campaign.name, format) };
}

/** The server's name for an export, for when its Content-Disposition is not exposed to the page. */
function exportFileName(name: string, format: ExportFormat): string {
  const slug =
    name
      .normalize("NFKD")
      .replace(/[^\x00-\x7f]/g, "")
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .toLowerCase()
      .slice(0, 60) || "campaign";
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  return `${slug}-${today}.${format}`;
}

// ---- assets -----------------------------------------------------------------------------

export function listAssets(
  params: {
    campaign_id?: string | null;
    kind?: AssetKind | null;
    cursor?: string | null;
    limit?: number;
  } = {},
): Promise<Page<Asset>> {
  return request<Page<Asset>>("GET", `${V1}/assets`, {
    query: {
      campaign_id: params.campaign_id,
      kind: params.kind,
      cursor: params.cursor,
      limit: params.limit,
    },
  });
}

export function getAsset(id: string): Promise<Asset> {
  return request<Asset>("GET", `${V1}/assets/${encodeURIComponent(id)}`);
}

export function createAsset(body: AssetCreate): Promise<Asset> {
  return request<Asset>("POST", `${V1}/assets`, { body });
}

/** A new version; `ifMatchVersion` is the version the edit was based on (409 when stale). */
export function editAsset(id: string, body: AssetUpdate, ifMatchVersion?: number): Promise<Asset> {
  return request<Asset>("PATCH", `${V1}/assets/${encodeURIComponent(id)}`, {
    body,
    headers: ifMatchVersion === undefined ? {} : { "If-Match": String(ifMatchVersion) },
  });
}

export function listVersions(id: string): Promise<VersionHistory> {
  return request<VersionHistory>("GET", `${V1}/assets/${encodeURIComponent(id)}/versions`);
}

export function undoAsset(id: string): Promise<Asset> {
  return request<Asset>("POST", `${V1}/assets/${encodeURIComponent(id)}/undo`);
}

export function redoAsset(id: string): Promise<Asset> {
  return request<Asset>("POST", `${V1}/assets/${encodeURIComponent(id)}/redo`);
}

// ---- ai (these spend credits: each user action sends its own Idempotency-Key) -----------

/** What each AI call costs now, in credits. */
export function getPrices(): Promise<Prices> {
  return request<Prices>("GET", `${V1}/credits/prices`);
}

function spending(idempotencyKey: string): Record<string, string> {
  return { "Idempotency-Key": idempotencyKey };
}

export function generateText(body: GenerateTextRequest, idempotencyKey: string): Promise<GenerateTextResult> {
  return request<GenerateTextResult>("POST", `${V1}/ai/generate-text`, {
    body,
    headers: spending(idempotencyKey),
  });
}

export function suggest(body: SuggestionsRequest, idempotencyKey: string): Promise<SuggestionsResult> {
  return request<SuggestionsResult>("POST", `${V1}/ai/suggestions`, {
    body,
    headers: spending(idempotencyKey),
  });
}

export function refineAsset(body: RefineRequest, idempotencyKey: string): Promise<AiAssetResult> {
  return request<AiAssetResult>("POST", `${V1}/ai/refine`, { body, headers: spending(idempotencyKey) });
}

/** A new image asset, painted in the background: follow the answer's job (getJob). */
export function generateImage(body: GenerateImageRequest, idempotencyKey: string): Promise<ImageJobAccepted> {
  return request<ImageJobAccepted>("POST", `${V1}/ai/generate-image`, {
    body,
    headers: spending(idempotencyKey),
  });
}

/** Text asset: the asset at a new version (200). Image asset: a queued job (202). */
export function regenerateAsset(
  body: RegenerateRequest,
  idempotencyKey: string,
): Promise<AiAssetResult | ImageJobAccepted> {
  return request<AiAssetResult | ImageJobAccepted>("POST", `${V1}/ai/regenerate`, {
    body,
    headers: spending(idempotencyKey),
  });
}

export function isImageJobAccepted(value: AiAssetResult | ImageJobAccepted): value is ImageJobAccepted {
  return "job" in value;
}

/** An image job's state (API.md; polled by lib/use-image-watch.ts). */
export function getJob(id: string): Promise<Job> {
  return request<Job>("GET", `${V1}/ai/jobs/${encodeURIComponent(id)}`);
}
