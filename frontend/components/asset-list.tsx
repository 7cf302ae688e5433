"use client";

import Link from "next/link";
import { useEffect } from "react";
import { listAssets } from "@/lib/api";
import { formatRelative, preview } from "@/lib/format";
import type { Asset, AssetKind } from "@/lib/types";
import { usePagedList } from "@/lib/use-paged-list";
import { AssetKindBadge, AssetStatusBadge } from "./asset-badges";
import { PagedListView } from "./paged-list-view";
import { EmptyState } from "./ui/empty-state";

function AssetRow({ asset, campaignName }: { asset: Asset; campaignName: string | null }) {
  return (
    <li>
      <Link href={`/assets/${asset.id}`} className="group -mx-2 flex gap-4 rounded-md px-2 py-3 hover:bg-zinc-50">
        {asset.kind === "image" ? (
          <div className="size-14 shrink-0 overflow-hidden rounded-md bg-zinc-100 ring-1 ring-zinc-200">
            {asset.storage_url ? <img src={asset.storage_url} alt="" className="size-full object-cover" /> : null}
          </div>
        ) : null}
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="truncate font-medium text-zinc-900 group-hover:text-indigo-700">{asset.title}</span>
            <AssetKindBadge asset={asset} />
            {asset.status !== "ready" ? <AssetStatusBadge status={asset.status} /> : null}
          </div>
          {asset.content ? <p className="mt-1 line-clamp-2 text-sm text-zinc-600">{preview(asset.content, 240)}</p> : null}
          <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-zinc-500">
            <span>
              Version {asset.current_version} of {asset.latest_version}
            </span>
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
  /** When given, each row names its campaign. */
  campaignNames?: Record<string, string>;
  emptyTitle?: string;
  emptyHint?: string;
}) {
  const list = usePagedList<Asset>(`campaign=${campaignId ?? ""}&kind=${kind ?? ""}`, (cursor) =>
    listAssets({ campaign_id: campaignId, kind, cursor }),
  );
  const { reload } = list;

  useEffect(() => {
    if (reloadToken > 0) reload();
  }, [reloadToken, reload]);

  return (
    <PagedListView
      list={list}
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
