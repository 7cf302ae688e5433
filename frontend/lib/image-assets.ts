import type { Asset } from "./types";

/** What an image asset's `metadata` says about how it was painted (each field when present). */
export interface ImageMetadata {
  prompt: string | null;
  negativePrompt: string | null;
  width: number | null;
  height: number | null;
  seed: number | null;
  jobId: string | null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

function integer(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) ? value : null;
}

export function imageMetadataOf(asset: Pick<Asset, "metadata">): ImageMetadata {
  const m = asset.metadata ?? {};
  return {
    prompt: text(m.prompt),
    negativePrompt: text(m.negative_prompt),
    width: integer(m.width),
    height: integer(m.height),
    seed: integer(m.seed),
    jobId: text(m.job_id),
  };
}

/** The image's alt text: what it was asked to show (its prompt), else its title. */
export function imageAltText(asset: Pick<Asset, "metadata" | "title">): string {
  return imageMetadataOf(asset).prompt ?? asset.title;
}

/** `spring-sale-banner-v2.png`: a download's file name. */
export function imageFileName(asset: Pick<Asset, "title">, version: number): string {
  const slug =
    asset.title
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "image";
  return `${slug}-v${version}.png`;
}
