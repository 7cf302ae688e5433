"use client";

import { useChannelLabel } from "@/lib/channels";

/** One of a campaign's channels, in words (the channel table's label). */
export function ChannelChip({ channel }: { channel: string }) {
  const label = useChannelLabel();
  return <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700">{label(channel)}</span>;
}
