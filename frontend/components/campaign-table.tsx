"use client";

import Link from "next/link";
import { useState } from "react";
import { listCampaigns } from "@/lib/api";
import { CAMPAIGN_STATUSES } from "@/lib/campaign-status";
import { CAMPAIGN_STATUS_LABELS, channelLabel, formatDate, formatRelative } from "@/lib/format";
import type { Campaign, CampaignStatus } from "@/lib/types";
import { usePagedList } from "@/lib/use-paged-list";
import { CampaignStatusBadge } from "./campaign-status-badge";
import { ErrorBanner } from "./error-banner";
import { LoadMoreButton } from "./load-more-button";
import { EmptyState } from "./ui/empty-state";
import { Label, Select } from "./ui/form-controls";
import { LoadingRows } from "./ui/skeleton";

function Channels({ channels }: { channels: string[] }) {
  if (channels.length === 0) return <span className="text-zinc-400">—</span>;
  const shown = channels.slice(0, 3);
  return (
    <span className="flex flex-wrap gap-1" title={channels.map(channelLabel).join(", ")}>
      {shown.map((c) => (
        <span key={c} className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700">
          {channelLabel(c)}
        </span>
      ))}
      {channels.length > shown.length ? (
        <span className="px-1 py-0.5 text-xs text-zinc-500">+{channels.length - shown.length}</span>
      ) : null}
    </span>
  );
}

function Dates({ campaign }: { campaign: Campaign }) {
  if (!campaign.start_date && !campaign.end_date) return <span className="text-zinc-400">—</span>;
  return (
    <span className="whitespace-nowrap">
      {formatDate(campaign.start_date)} – {formatDate(campaign.end_date)}
    </span>
  );
}

export function CampaignTable() {
  const [status, setStatus] = useState<CampaignStatus | "">("");
  const list = usePagedList<Campaign>(`status=${status}`, (cursor) =>
    listCampaigns({ status: status || null, cursor }),
  );

  return (
    <section aria-labelledby="campaign-list-title" className="rounded-lg border border-zinc-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-100 px-5 py-3">
        <h2 id="campaign-list-title" className="text-base font-semibold text-zinc-900">
          All campaigns
        </h2>
        <div className="flex items-center gap-2">
          <Label htmlFor="campaign-status-filter" className="text-zinc-600">
            Status
          </Label>
          <Select
            id="campaign-status-filter"
            className="w-40"
            value={status}
            onChange={(e) => setStatus(e.target.value as CampaignStatus | "")}
          >
            <option value="">All statuses</option>
            {CAMPAIGN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {CAMPAIGN_STATUS_LABELS[s]}
              </option>
            ))}
          </Select>
        </div>
      </div>

      <div className="p-5">
        {list.error ? (
          <div className="mb-4">
            <ErrorBanner error={list.error} onDismiss={list.clearError} />
          </div>
        ) : null}

        {list.loading && list.items.length === 0 ? (
          <LoadingRows label="Loading campaigns" />
        ) : list.items.length === 0 && !list.error ? (
          <EmptyState title={status ? `No ${CAMPAIGN_STATUS_LABELS[status].toLowerCase()} campaigns` : "No campaigns yet"}>
            {status ? "Try another status." : "Create your first campaign to start generating copy."}
          </EmptyState>
        ) : list.items.length > 0 ? (
          <div className="-mx-5 overflow-x-auto">
            <table className="min-w-full text-left text-sm">
              <thead className="text-xs tracking-wide text-zinc-500 uppercase">
                <tr className="border-b border-zinc-100">
                  <th scope="col" className="px-5 py-2 font-medium">Name</th>
                  <th scope="col" className="px-3 py-2 font-medium">Status</th>
                  <th scope="col" className="px-3 py-2 font-medium">Channels</th>
                  <th scope="col" className="px-3 py-2 font-medium">Dates</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">Assets</th>
                  <th scope="col" className="px-5 py-2 text-right font-medium">Updated</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {list.items.map((c) => (
                  <tr key={c.id} className="hover:bg-zinc-50">
                    <td className="max-w-xs min-w-48 px-5 py-3">
                      <Link href={`/campaigns/${c.id}`} className="font-medium text-zinc-900 hover:text-indigo-700">
                        {c.name}
                      </Link>
                      {c.objective ? <p className="truncate text-xs text-zinc-500">{c.objective}</p> : null}
                    </td>
                    <td className="px-3 py-3">
                      <CampaignStatusBadge status={c.status} />
                    </td>
                    <td className="px-3 py-3">
                      <Channels channels={c.channels} />
                    </td>
                    <td className="px-3 py-3 text-zinc-600">
                      <Dates campaign={c} />
                    </td>
                    <td className="px-3 py-3 text-right tabular-nums text-zinc-700">{c.asset_count}</td>
                    <td className="px-5 py-3 text-right whitespace-nowrap text-zinc-500" title={c.updated_at}>
                      {formatRelative(c.updated_at)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}

        <LoadMoreButton hasMore={list.hasMore} busy={list.loadingMore} onClick={list.loadMore} />
      </div>
    </section>
  );
}
