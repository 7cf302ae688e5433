"use client";

import { getUsageSummary } from "@/lib/api";
import { formatDate } from "@/lib/format";
import { formatCount } from "@/lib/numbers";
import { useApiResource } from "@/lib/use-api-resource";
import { ErrorBanner } from "./error-banner";
import { Skeleton } from "./ui/skeleton";

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-md bg-zinc-50 px-4 py-3 ring-1 ring-zinc-100">
      <dt className="text-xs font-medium text-zinc-600">{label}</dt>
      <dd className="mt-1 text-xl font-semibold text-zinc-900 tabular-nums">{formatCount(value)}</dd>
    </div>
  );
}

/** Credits spent per day over the last `days` days, as plain bars, with the totals. */
export function UsageChart({ days = 30 }: { days?: number }) {
  const { data: summary, error } = useApiResource(() => getUsageSummary(days), [days]);

  if (error) return <ErrorBanner error={error} />;
  if (!summary) {
    return (
      // The same boxes as the chart below, at their sizes: nothing moves when it arrives.
      <div role="status" className="space-y-5">
        <span className="sr-only">Loading usage…</span>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-[72px] w-full rounded-md" />
          ))}
        </div>
        <div>
          <Skeleton className="h-40 w-full" />
          <div className="mt-1.5 h-4" />
        </div>
      </div>
    );
  }

  const peak = Math.max(0, ...summary.days.map((d) => d.credits_spent));
  const max = Math.max(1, peak); // the bars' scale
  const first = summary.days[0];
  const last = summary.days[summary.days.length - 1];

  return (
    <div className="space-y-5">
      <dl className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4">
        <Stat label="Credits bought" value={summary.totals.credits_purchased ?? 0} />
        <Stat label="Credits spent" value={summary.totals.credits_spent} />
        <Stat label="Text generations" value={summary.totals.text_generations} />
        <Stat label="Image generations" value={summary.totals.image_generations} />
      </dl>

      <figure>
        <div
          className="flex h-40 items-end gap-[2px] border-b border-zinc-200"
          role="img"
          aria-label={`Credits spent per day, ${formatDate(first?.date)} to ${formatDate(last?.date)}; total ${summary.totals.credits_spent}`}
        >
          {summary.days.map((d) => {
            const height = d.credits_spent === 0 ? 0 : Math.max(4, Math.round((d.credits_spent / max) * 100));
            return (
              <div key={d.date} className="group relative flex h-full flex-1 items-end">
                <div
                  className={`w-full rounded-t-sm ${d.credits_spent > 0 ? "bg-indigo-500 group-hover:bg-indigo-600" : "bg-zinc-100"}`}
                  style={{ height: d.credits_spent > 0 ? `${height}%` : "2px" }}
                />
                <div className="pointer-events-none absolute bottom-full left-1/2 z-10 mb-1 hidden -translate-x-1/2 rounded bg-zinc-900 px-2 py-1 text-xs whitespace-nowrap text-white group-hover:block">
                  {formatDate(d.date)}: {d.credits_spent} {d.credits_spent === 1 ? "credit" : "credits"}
                  {d.text_generations ? ` · ${d.text_generations} text` : ""}
                  {d.image_generations ? ` · ${d.image_generations} image` : ""}
                  {d.credits_purchased ? ` · ${d.credits_purchased} bought` : ""}
                </div>
              </div>
            );
          })}
        </div>
        <figcaption className="mt-1.5 flex justify-between text-xs text-zinc-500">
          <span>{formatDate(first?.date)}</span>
          <span>{peak ? `Credits spent per day (most ${peak})` : "No credits spent in these days"}</span>
          <span>{formatDate(last?.date)}</span>
        </figcaption>
      </figure>
    </div>
  );
}
