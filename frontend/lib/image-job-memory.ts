/**
 * Which image job is painting an asset, as this browser started it: a regeneration's job is not
 * in the asset's metadata until it succeeds, so after a reload the asset page would otherwise
 * know only that the asset is pending. Kept in localStorage by asset id (ids are unguessable;
 * another account's job answers 404 and is then not used), the newest few only.
 */
const STORAGE_KEY = "asset-engine.image-jobs";
const KEEP = 30;

export interface RememberedJob {
  jobId: string;
  /** What it cost, to say how much was refunded if it fails. */
  credits: number;
}

type Memory = Record<string, RememberedJob & { at: number }>;

function load(): Memory {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? "{}");
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Memory) : {};
  } catch {
    return {};
  }
}

function store(memory: Memory): void {
  const newest = Object.entries(memory)
    .sort(([, a], [, b]) => b.at - a.at)
    .slice(0, KEEP);
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(newest)));
  } catch {
    // Storage full or refused: the asset's own status is still watched.
  }
}

export function rememberImageJob(assetId: string, job: RememberedJob): void {
  store({ ...load(), [assetId]: { ...job, at: Date.now() } });
}

export function rememberedImageJob(assetId: string): RememberedJob | null {
  if (typeof window === "undefined") return null;
  const entry = load()[assetId];
  return entry && typeof entry.jobId === "string" && typeof entry.credits === "number"
    ? { jobId: entry.jobId, credits: entry.credits }
    : null;
}

export function forgetImageJob(assetId: string): void {
  const memory = load();
  if (!(assetId in memory)) return;
  delete memory[assetId];
  store(memory);
}
