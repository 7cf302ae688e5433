"use client";

import Link from "./ui/link";
import { useState } from "react";
import { imageFileName } from "@/lib/image-assets";
import type { Asset, Job } from "@/lib/types";
import { jobFailed, useImageWatch } from "@/lib/use-image-watch";
import type { StudioJob } from "@/lib/use-studio-jobs";
import { ImageDownloadButton } from "./image-download-button";
import { ImageFullView } from "./image-full-view";
import { ImageJobProgress, type ImageJobState } from "./image-job-progress";
import { ImagePlaceholder } from "./image-placeholder";
import { useSessionActions } from "./session-provider";

/**
 * One image started in the studio: its progress while the job runs (followed again after a
 * reload), then the picture with links to its asset page and a download, or why it failed.
 */
export function ImageJobCard({ entry, onDismiss }: { entry: StudioJob; onDismiss: () => void }) {
  const { refreshBalance } = useSessionActions();
  const [asset, setAsset] = useState<Asset | null>(null);
  const [endedJob, setEndedJob] = useState<Job | null>(null);
  const { job, gone } = useImageWatch({
    assetId: entry.asset_id,
    // Until the asset is read, it may still be painting.
    pending: asset === null || asset.status === "pending",
    jobId: entry.job_id,
    immediate: true,
    onSettled: (next, ended) => {
      setAsset(next);
      setEndedJob(ended);
      // A failed job was refunded: the header shows the balance as it is now.
      if (next.status === "failed" || jobFailed(ended)) void refreshBalance();
    },
  });

  const image = asset?.status === "ready" && asset.storage_url ? asset : null;
  const state: ImageJobState = image ? "done" : asset?.status === "failed" || gone ? "failed" : "pending";
  const ratio = { aspectRatio: `${entry.width} / ${entry.height}` };

  return (
    <li className="relative rounded-lg border border-zinc-200 bg-white p-3 shadow-sm" aria-label={`Image: ${entry.prompt}`}>
      <div className="overflow-hidden rounded-md" style={ratio}>
        {image ? (
          <ImageFullView
            src={image.storage_url ?? ""}
            alt={entry.prompt}
            width={entry.width}
            height={entry.height}
            fill
          />
        ) : (
          <ImagePlaceholder state={state === "failed" ? "failed" : "pending"} />
        )}
      </div>
      <p className="mt-2 line-clamp-2 pr-6 text-sm text-zinc-800" title={entry.prompt}>
        {entry.prompt}
      </p>
      <p className="text-xs text-zinc-500 tabular-nums">
        {entry.width} × {entry.height}
      </p>
      <div className="mt-2">
        {gone ? (
          <p role="status" className="text-sm text-zinc-600">
            This image is no longer available.
          </p>
        ) : (
          <ImageJobProgress job={endedJob ?? job} state={state} since={entry.started_at} credits={entry.credits_charged} />
        )}
      </div>
      {image ? (
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <Link
            href={`/assets/${image.id}`}
            className="inline-flex h-8 items-center rounded-md px-2.5 text-xs font-medium text-indigo-700 ring-1 ring-inset ring-indigo-200 hover:bg-indigo-50"
          >
            Open asset
          </Link>
          <ImageDownloadButton
            url={image.storage_url ?? ""}
            fileName={imageFileName(image, image.current_version)}
            label={`Download ${entry.prompt}`}
          />
        </div>
      ) : null}
      <button
        type="button"
        data-dismiss
        onClick={onDismiss}
        className="absolute top-1.5 right-1.5 z-10 rounded-full bg-white/90 p-1 text-zinc-500 shadow-sm ring-1 ring-zinc-200 hover:bg-white hover:text-zinc-800"
        aria-label="Remove from this list"
        title="Remove from this list (the asset stays in the library)"
      >
        <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
          <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 0 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
        </svg>
      </button>
    </li>
  );
}
