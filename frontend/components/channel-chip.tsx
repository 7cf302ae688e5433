import { channelLabel } from "@/lib/format";

/** One of a campaign's channels, in words. */
export function ChannelChip({ channel }: { channel: string }) {
  return <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700">{channelLabel(channel)}</span>;
}
