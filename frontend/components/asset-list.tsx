"use client";

import Link from "./ui/link";
import { useEffect, useState } from "react";
import { listAssets } from "@/lib/api";
import { formatRelative, preview } from "@/lib/format";
import { imageAltText, imageMetadataOf } from "@/lib/image-assets";
import { rememberedImageJob } from "@/lib/image-job-memory";
import type { Asset, AssetKind } from "@/lib/types";
import { useImageWatch } from "@/lib/use-image-watch";
import { usePagedList } from "@/lib/use-paged-list";
import { AssetKindBadge, AssetStatusBadge } from "./asset-badges";
import { ImagePlaceholder } from "./image-placeholder";
import { PagedListView } from "./paged-list-view";
import { EmptyState } from "./ui/empty-state";

/** An image's thumbnail, or its placeholder while it is painted (or if it failed). */
function AssetThumbnail({ asset }: { asset: Asset }) {
  const { width, height } = imageMetadataOf(asset);
  return (
    <div className="size-14 shrink-0 overflow-hidden rounded-md bg-zinc-100 ring-1 ring-zinc-200">
      {asset.status === "ready" && asset.storage_url ? (
        <img
          src={asset.storage_url}
          alt={imageAltText(asset)}
          width={width ?? undefined}
          height={height ?? undefined}
          loading="lazy"
          decoding="async"
          className="size-full object-cover"
        />
      ) : (
        <ImagePlaceholder state={asset.status === "failed" ? "failed" : asset.status === "pending" ? "pending" : "empty"} />
      )}
    </div>
  );
}

function AssetRow({ asset: listed, campaignName }: { asset: Asset; campaignName: string | null }) {
  // An image being painted is followed here, and the row shows it once it is done.
  const [settled, setSettled] = useState<Asset | null>(null);
  const asset = settled && settled.id === listed.id && settled.updated_at >= listed.updated_at ? settled : listed;
  const image = asset.kind === "image";
  const painting = image && asset.status === "pending";
  useImageWatch({
    assetId: asset.id,
    pending: painting,
    jobId: painting ? (rememberedImageJob(asset.id)?.jobId ?? imageMetadataOf(asset).jobId) : null,
    onSettled: setSettled,
  });
  const { width, height } = image ? imageMetadataOf(asset) : { width: null, height: null };

  return (
    <li>
      <Link href={`/assets/${asset.id}`} className="group -mx-2 flex gap-4 rounded-md px-2 py-3 hover:bg-zinc-50">
        {image ? <AssetThumbnail asset={asset} /> : null}
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="truncate font-medium text-zinc-900 group-hover:text-indigo-700">{asset.title}</span>
            <AssetKindBadge asset={asset} />
            {asset.status !== "ready" ? <AssetStatusBadge status={asset.status} /> : null}
          </div>
          {asset.content ? <p className="mt-1 line-clamp-2 text-sm text-zinc-600">{preview(asset.content, 240)}</p> : null}
          <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-zinc-500">
            {image && asset.status === "pending" && asset.current_version === 0 ? (
              <span>Being painted</span>
            ) : (
              <span>
                Version {asset.current_version} of {asset.latest_version}
              </span>
            )}
            {width && height ? (
              <span className="tabular-nums">
                {width} × {height}
              </span>
            ) : null}
            {campaignName !== null ? <span>{campaignName}</span> : null}
            <span title={asset.updated_at}>Updated {formatRelative(asset.updated_at)}</span>
          </p>
        </div>
      </Link>
    </li>
  );
}

/** Assets, newest first, optionally of one campaign or kind; links to each asset's editor. */
export function AssetList({
  campaignId = null,
  kind = null,
  reloadToken = 0,
  campaignNames,
  emptyTitle = "No assets yet",
  emptyHint,
}: {
  campaignId?: string | null;
  kind?: AssetKind | null;
  /** Change it to read the list again (after a generation). */
  reloadToken?: number;
  /** When given, each row names its campaign; null while the names are still being read. */
  campaignNames?: Record<string, string> | null;
  emptyTitle?: string;
  emptyHint?: string;
}) {
  const list = usePagedList<Asset>(`campaign=${campaignId ?? ""}&kind=${kind ?? ""}`, (cursor) =>
    listAssets({ campaign_id: campaignId, kind, cursor }),
  );
  const { reload } = list;
  // Rows that name their campaign wait for the names: a placeholder replaced by a longer name
  // would wrap onto another line and shift every row below it.
  const shown = campaignNames === null ? { ...list, items: [], loading: true } : list;

  useEffect(() => {
    if (reloadToken > 0) reload();
  }, [reloadToken, reload]);

  return (
    <PagedListView
      list={shown}
      loadingLabel="Loading assets"
      empty={<EmptyState title={emptyTitle}>{emptyHint}</EmptyState>}
      renderRow={(asset) => (
        <AssetRow
          asset={asset}
          campaignName={campaignNames && asset.campaign_id ? (campaignNames[asset.campaign_id] ?? "Campaign") : null}
        />
      )}
      wrap={(rows) => (
        <ul className="divide-y divide-zinc-100" aria-label="Assets">
          {rows}
        </ul>
      )}
    />
  );
}
