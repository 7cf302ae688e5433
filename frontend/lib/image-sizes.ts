/**
 * Image sizes the API accepts (POST /ai/generate-image: each side 512..1536, a multiple of 64)
 * and the presets offered per channel.
 *
 * Schemas here and in the forms use `zod/mini` (functions, not methods), which bundles only the
 * checks used: ~16 kB (gzip) of a form route's first-load JS where full `zod` was ~29 kB.
 */
import * as z from "zod/mini";

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

/** A side as typed in a form field: a whole number of pixels the API accepts. */
export const imageSide = z.pipe(
  z.pipe(
    z.string().check(z.trim(), z.regex(/^\d+$/, `A whole number of pixels, ${IMAGE_SIDE_MIN} to ${IMAGE_SIDE_MAX}.`)),
    z.transform(Number),
  ),
  z.number().check(
    z.superRefine((n, ctx) => {
      if (n < IMAGE_SIDE_MIN || n > IMAGE_SIDE_MAX) {
        ctx.addIssue({ code: "custom", message: `From ${IMAGE_SIDE_MIN} to ${IMAGE_SIDE_MAX} pixels.` });
      } else if (n % IMAGE_SIDE_STEP !== 0) {
        const nearest = Math.min(IMAGE_SIDE_MAX, Math.max(IMAGE_SIDE_MIN, Math.round(n / IMAGE_SIDE_STEP) * IMAGE_SIDE_STEP));
        ctx.addIssue({ code: "custom", message: `A multiple of ${IMAGE_SIDE_STEP}: try ${nearest}.` });
      }
    }),
  ),
);

export const SEED_MAX = 4_294_967_295;

/** A seed as typed: empty (the server picks one) is null. */
export const imageSeed = z.pipe(
  z.string().check(
    z.trim(),
    z.refine((text) => text === "" || (/^\d+$/.test(text) && Number(text) <= SEED_MAX), {
      message: `A whole number from 0 to ${SEED_MAX.toLocaleString()}.`,
    }),
  ),
  z.transform((text) => (text === "" ? null : Number(text))),
);

/** A random seed in the accepted range. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}
