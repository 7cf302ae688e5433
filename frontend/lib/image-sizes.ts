/**
 * Image sizes the API accepts (POST /ai/generate-image: each side 512..1536, a multiple of 64)
 * and the presets offered per channel.
 */

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

/** Why `value` (a form field's text) is not an accepted side, or null when it is. */
export function imageSideError(value: string): string | null {
  const text = value.trim();
  if (!/^\d+$/.test(text)) return `A whole number of pixels, ${IMAGE_SIDE_MIN} to ${IMAGE_SIDE_MAX}.`;
  const n = Number(text);
  if (n < IMAGE_SIDE_MIN || n > IMAGE_SIDE_MAX) return `From ${IMAGE_SIDE_MIN} to ${IMAGE_SIDE_MAX} pixels.`;
  if (n % IMAGE_SIDE_STEP !== 0) {
    const nearest = Math.min(IMAGE_SIDE_MAX, Math.max(IMAGE_SIDE_MIN, Math.round(n / IMAGE_SIDE_STEP) * IMAGE_SIDE_STEP));
    return `A multiple of ${IMAGE_SIDE_STEP}: try ${nearest}.`;
  }
  return null;
}

export const SEED_MAX = 4_294_967_295;

/** Why `value` is not a seed (empty is fine: the server picks one), or null. */
export function seedError(value: string): string | null {
  const text = value.trim();
  if (text === "") return null;
  if (!/^\d+$/.test(text) || Number(text) > SEED_MAX) return `A whole number from 0 to ${SEED_MAX.toLocaleString()}.`;
  return null;
}

/** A random seed in the accepted range. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}
