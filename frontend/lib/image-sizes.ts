/**
 * Image sizes the API accepts (POST /ai/generate-image: each side 512..1536, a multiple of 64)
 * and the presets offered per channel.
 *
 * Schemas here and in the forms use valibot (functions, piped), which bundles only the checks
 * used: a few kB (gzip) of a form route's first-load JS where `zod/mini` was ~16.5 kB.
 */
import * as v from "valibot";
import { formatCount } from "./numbers";

export const IMAGE_SIDE_MIN = 512;
export const IMAGE_SIDE_MAX = 1536;
export const IMAGE_SIDE_STEP = 64;

export type SizePresetId = "square" | "landscape" | "portrait";

export interface SizePreset {
  id: SizePresetId;
  label: string;
  ratio: string;
  width: number;
  height: number;
  /** Where this shape runs. */
  channels: string;
}

export const SIZE_PRESETS: readonly SizePreset[] = [
  { id: "square", label: "Square", ratio: "1:1", width: 1024, height: 1024, channels: "Instagram feed" },
  { id: "landscape", label: "Landscape", ratio: "1.91:1", width: 1216, height: 640, channels: "Link ads, LinkedIn" },
  { id: "portrait", label: "Portrait", ratio: "9:16", width: 768, height: 1344, channels: "Stories, Reels" },
];

/** The accepted side nearest to `n` pixels. */
function nearestSide(n: number): number {
  return Math.min(IMAGE_SIDE_MAX, Math.max(IMAGE_SIDE_MIN, Math.round(n / IMAGE_SIDE_STEP) * IMAGE_SIDE_STEP));
}

/** A side as typed in a form field: a whole number of pixels the API accepts. */
export const imageSide = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\d+$/, `A whole number of pixels, ${IMAGE_SIDE_MIN} to ${IMAGE_SIDE_MAX}.`),
  v.transform(Number),
  v.check((n) => n >= IMAGE_SIDE_MIN && n <= IMAGE_SIDE_MAX, `From ${IMAGE_SIDE_MIN} to ${IMAGE_SIDE_MAX} pixels.`),
  // Only a side in range can miss the step (one message at a time, as typed).
  v.check(
    (n) => n < IMAGE_SIDE_MIN || n > IMAGE_SIDE_MAX || n % IMAGE_SIDE_STEP === 0,
    (issue) => `A multiple of ${IMAGE_SIDE_STEP}: try ${nearestSide(Number(issue.input))}.`,
  ),
);

export const SEED_MAX = 4_294_967_295;

/** A seed as typed: empty (the server picks one) is null. */
export const imageSeed = v.pipe(
  v.string(),
  v.trim(),
  v.check(
    (text) => text === "" || (/^\d+$/.test(text) && Number(text) <= SEED_MAX),
    `A whole number from 0 to ${formatCount(SEED_MAX)}.`,
  ),
  v.transform((text) => (text === "" ? null : Number(text))),
);

/** A random seed in the accepted range. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}
