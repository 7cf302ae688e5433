"use client";

import type { ReactNode } from "react";
import { formatDateRange } from "@/lib/format";
import type { Campaign } from "@/lib/types";
import { useWriting } from "@/lib/use-writing";
import { ChannelChip } from "./channel-chip";
import { DateTimeText } from "./date-time-text";

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium tracking-wide text-zinc-500 uppercase">{term}</dt>
      <dd className="mt-1 text-sm whitespace-pre-line text-zinc-800">{children}</dd>
    </div>
  );
}

const none = <span className="text-zinc-500">Not set</span>;

export function CampaignDetails({ campaign }: { campaign: Campaign }) {
  const writing = useWriting();
  return (
    <dl className="grid gap-x-6 gap-y-5 sm:grid-cols-2 lg:grid-cols-3">
      <Item term="Objective">{campaign.objective || none}</Item>
      <Item term="Audience">{campaign.audience || none}</Item>
      <Item term="Brand voice">{campaign.brand_voice || none}</Item>
      <Item term="Channels">
        {campaign.channels.length === 0 ? (
          none
        ) : (
          <span className="flex flex-wrap gap-1">
            {campaign.channels.map((c) => (
              <ChannelChip key={c} channel={c} />
            ))}
          </span>
        )}
      </Item>
      <Item term="Dates">{formatDateRange(campaign.start_date, campaign.end_date, writing) ?? none}</Item>
      <Item term="Assets">
        {campaign.asset_count} · updated <DateTimeText value={campaign.updated_at} />
      </Item>
    </dl>
  );
}
