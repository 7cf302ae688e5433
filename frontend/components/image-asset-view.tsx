"use client";

import { getJob } from "@/lib/api";
import { imageAltText, imageFileName, imageMetadataOf } from "@/lib/image-assets";
import type { Asset, Job } from "@/lib/types";
import { useApiResource } from "@/lib/use-api-resource";
import type { ImageFailure } from "@/lib/use-asset-workspace";
import { ImageDetails } from "./image-details";
import { ImageDownloadButton } from "./image-download-button";
import { ImageFullView } from "./image-full-view";
import { ImageJobFailure } from "./image-job-failure";
import { ImageJobProgress } from "./image-job-progress";
import { ImagePlaceholder } from "./image-placeholder";

/**
 * An image asset's current version: the picture (full size on click, download), how it was
 * asked for, and while a version is being painted, the job's progress; a first image that
 * failed says why, and that its credits were refunded.
 */
export function ImageAssetView({
  asset,
  job,
  failure,
}: {
  asset: Asset;
  /** The job being followed while the asset is pending. */
  job: Job | null;
  /** A regeneration that just failed (the asset kept its version). */
  failure: ImageFailure | null;
}) {
  const metadata = imageMetadataOf(asset);
  const alt = imageAltText(asset);
  const pending = asset.status === "pending";
  const firstFailed = asset.status === "failed";
  // Why the first image failed, after a reload: its job says.
  const { data: failedJob } = useApiResource(
    () => (firstFailed && metadata.jobId ? getJob(metadata.jobId) : Promise.resolve(null)),
    [firstFailed, metadata.jobId],
  );
  const ratio = metadata.width && metadata.height ? `${metadata.width} / ${metadata.height}` : "1 / 1";

  return (
    <div className="space-y-4">
      {asset.storage_url && !firstFailed ? (
        <div className={pending ? "opacity-50 transition-opacity" : undefined}>
          <ImageFullView
            src={asset.storage_url}
            alt={alt}
            width={metadata.width}
            height={metadata.height}
            className="max-h-[32rem] w-auto"
          />
        </div>
      ) : (
        <div className="mx-auto max-h-[32rem] max-w-full overflow-hidden rounded-md" style={{ aspectRatio: ratio, width: "min(100%, 24rem)" }}>
          <ImagePlaceholder state={firstFailed ? "failed" : pending ? "pending" : "empty"} />
        </div>
      )}

      {pending ? (
        <ImageJobProgress job={job} state="pending" since={asset.updated_at} />
      ) : firstFailed ? (
        <ImageJobFailure job={failure?.job ?? failedJob ?? null} credits={failure?.credits ?? null} />
      ) : failure ? (
        <ImageJobFailure
          job={failure.job}
          credits={failure.credits}
          what={`The new image could not be generated; version ${asset.current_version} is still current`}
        />
      ) : null}

      {asset.storage_url && !pending && !firstFailed ? (
        <div className="flex flex-wrap items-center gap-2">
          <ImageDownloadButton
            url={asset.storage_url}
            fileName={imageFileName(asset, asset.current_version)}
            size="md"
            label={`Download version ${asset.current_version}`}
          />
          <a
            href={asset.storage_url}
            target="_blank"
            rel="noopener"
            className="text-sm font-medium text-indigo-700 hover:underline"
          >
            Open full size
          </a>
        </div>
      ) : null}

      <ImageDetails metadata={metadata} />
    </div>
  );
}
