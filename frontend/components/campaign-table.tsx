"use client";

import Link from "./ui/link";
import { useState } from "react";
import { listCampaigns } from "@/lib/api";
import { CAMPAIGN_STATUSES } from "@/lib/campaign-status";
import { useChannelLabel } from "@/lib/channels";
import { CAMPAIGN_STATUS_LABELS, formatDateRange, formatRelative } from "@/lib/format";
import type { Campaign, CampaignStatus } from "@/lib/types";
import { usePagedList } from "@/lib/use-paged-list";
import { CampaignStatusBadge } from "./campaign-status-badge";
import { ChannelChip } from "./channel-chip";
import { PagedListView } from "./paged-list-view";
import { EmptyState } from "./ui/empty-state";
import { Label, Select } from "./ui/form-controls";

const dash = <span className="text-zinc-500">—</span>;

function Channels({ channels }: { channels: string[] }) {
  const channelLabel = useChannelLabel();
  if (channels.length === 0) return dash;
  const shown = channels.slice(0, 3);
  return (
    <span className="flex flex-wrap gap-1" title={channels.map(channelLabel).join(", ")}>
      {shown.map((c) => (
        <ChannelChip key={c} channel={c} />
      ))}
      {channels.length > shown.length ? (
        <span className="px-1 py-0.5 text-xs text-zinc-500">+{channels.length - shown.length}</span>
      ) : null}
    </span>
  );
}

function CampaignRow({ campaign: c }: { campaign: Campaign }) {
  const dates = formatDateRange(c.start_date, c.end_date);
  return (
    <tr className="hover:bg-zinc-50">
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
      <td className="px-3 py-3 text-zinc-600">{dates ? <span className="whitespace-nowrap">{dates}</span> : dash}</td>
      <td className="px-3 py-3 text-right tabular-nums text-zinc-700">{c.asset_count}</td>
      <td className="px-5 py-3 text-right whitespace-nowrap text-zinc-500" title={c.updated_at}>
        {formatRelative(c.updated_at)}
      </td>
    </tr>
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
        <PagedListView
          list={list}
          loadingLabel="Loading campaigns"
          empty={
            <EmptyState title={status ? `No ${CAMPAIGN_STATUS_LABELS[status].toLowerCase()} campaigns` : "No campaigns yet"}>
              {status ? "Try another status." : "Create your first campaign to start generating copy."}
            </EmptyState>
          }
          renderRow={(c) => <CampaignRow campaign={c} />}
          wrap={(rows) => (
            <div
              className="-mx-5 overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
              role="region"
              aria-label="Campaigns table"
              tabIndex={0}
            >
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
                <tbody className="divide-y divide-zinc-100">{rows}</tbody>
              </table>
            </div>
          )}
        />
      </div>
    </section>
  );
}
