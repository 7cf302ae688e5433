"use client";

import { listVersions } from "@/lib/api";
import { formatDateTime, formatRelative, preview } from "@/lib/format";
import type { AssetVersion } from "@/lib/types";
import { useApiResource } from "@/lib/use-api-resource";
import { ErrorBanner } from "./error-banner";
import { ImageDownloadButton } from "./image-download-button";
import { Button } from "./ui/button";
import { LoadingRows } from "./ui/skeleton";
import { VersionSourceBadge } from "./version-source-badge";

/** Every version of an asset, newest first, the current one marked. */
export function VersionTimeline({
  assetId,
  currentVersion,
  reloadKey,
  disabled,
  restoring,
  onRestore,
  imageAlt,
  imageFileName,
}: {
  assetId: string;
  /** The asset's `current_version`, the one marked "Current" (as "Version X of Y" says). */
  currentVersion: number;
  /** Changes whenever the asset does: read the history again. */
  reloadKey: string;
  disabled: boolean;
  /** The version being restored, if any. */
  restoring: number | null;
  /** Save this version's text as a new version. */
  onRestore: (version: AssetVersion) => void;
  /** An image asset: what its pictures show (their alt text), and a version's download name. */
  imageAlt?: string;
  imageFileName?: (version: number) => string;
}) {
  const { data: history, error, reload } = useApiResource(() => listVersions(assetId), [assetId, reloadKey]);

  const banner = error ? (
    <ErrorBanner
      error={error}
      action={
        <Button size="sm" onClick={reload}>
          Try again
        </Button>
      }
    />
  ) : null;
  if (!history) return banner ?? <LoadingRows rows={3} label="Loading versions" />;

  return (
    <div className="space-y-3">
      {banner}
      <ol className="relative space-y-3" aria-label="Version history">
        {history.items.map((v) => {
          const current = v.version === currentVersion;
          return (
            <li
              key={v.version}
              aria-current={current ? "step" : undefined}
              className={`rounded-md border p-3 text-sm ${
                current ? "border-indigo-300 bg-indigo-50/60 ring-1 ring-indigo-200" : "border-zinc-200 bg-white"
              }`}
            >
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-semibold text-zinc-900 tabular-nums">v{v.version}</span>
                <VersionSourceBadge source={v.source} />
                {current ? <span className="text-xs font-medium text-indigo-700">Current</span> : null}
                <time className="ml-auto text-xs text-zinc-500" dateTime={v.created_at} title={formatDateTime(v.created_at)}>
                  {formatRelative(v.created_at)}
                </time>
              </div>
              {v.storage_url ? (
                <div className="mt-2 flex flex-wrap items-end gap-2">
                  <a href={v.storage_url} target="_blank" rel="noopener" title="Open full size in a new tab">
                    {/* Plain img: the storage host needs no next/image configuration. */}
                    <img
                      src={v.storage_url}
                      alt={`Version ${v.version}${imageAlt ? `: ${imageAlt}` : ""}`}
                      loading="lazy"
                      decoding="async"
                      className="max-h-32 rounded border border-zinc-200 bg-zinc-50"
                    />
                  </a>
                  {imageFileName ? (
                    <ImageDownloadButton
                      url={v.storage_url}
                      fileName={imageFileName(v.version)}
                      label={`Download version ${v.version}`}
                    />
                  ) : null}
                </div>
              ) : null}
              {v.content ? <p className="mt-1.5 line-clamp-3 text-zinc-600">{preview(v.content, 220)}</p> : null}
              {!current && v.content !== null ? (
                <div className="mt-2">
                  <Button
                    size="sm"
                    variant="ghost"
                    className="-ml-2.5"
                    busy={restoring === v.version}
                    disabled={disabled}
                    onClick={() => onRestore(v)}
                    title={`Save version ${v.version}'s text as a new version`}
                  >
                    Restore v{v.version}
                  </Button>
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
