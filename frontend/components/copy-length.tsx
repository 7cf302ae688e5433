"use client";

import { measureCopy, useChannels } from "@/lib/channels";
import { formatCount } from "@/lib/numbers";
import { useWriting } from "@/lib/use-writing";

/**
 * The editor's live count: characters against the asset's channel limit (and SMS segments),
 * over the limit in red; without a channel limit, the plain count. Screen readers hear only
 * when the copy crosses the limit.
 */
export function CopyLength({
  text,
  channel,
  assetType,
  id,
}: {
  text: string;
  channel: string | null;
  assetType: string | null;
  id: string;
}) {
  const { channels } = useChannels();
  const writing = useWriting();
  const count = (n: number) => formatCount(n, writing);
  const measure = measureCopy(text, channels?.find((c) => c.id === channel), assetType);
  if (!measure) {
    return (
      <p id={id} className="mt-1 text-xs text-zinc-600" data-testid="copy-length">
        {count([...text].length)} characters · Ctrl/⌘ + S saves
      </p>
    );
  }
  const { length, limit, over, segments } = measure;
  const what = limit.measure === "subject_line" ? "subject line" : limit.field.replace(/_/g, " ");
  return (
    <div id={id} className="mt-1 flex flex-wrap items-center gap-x-2 text-xs" data-testid="copy-length">
      <span className={over > 0 ? "font-semibold text-red-700" : "text-zinc-600"}>
        {count(length)} / {count(limit.limit)} characters
      </span>
      <span className="text-zinc-600">
        ({measure.channel.label} {what})
      </span>
      {segments !== null ? (
        <span className="text-zinc-600">
          · {segments} SMS {segments === 1 ? "segment" : "segments"}
        </span>
      ) : null}
      {over > 0 ? (
        <span className="rounded bg-red-50 px-1.5 py-0.5 font-semibold text-red-700 ring-1 ring-red-200 ring-inset">
          {count(over)} over the limit
        </span>
      ) : null}
      <span className="sr-only" aria-live="polite">
        {over > 0 ? `Over the ${what} limit by ${over}.` : ""}
      </span>
      <span className="text-zinc-600">· Ctrl/⌘ + S saves</span>
    </div>
  );
}
