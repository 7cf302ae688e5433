"use client";

import { listLedger } from "@/lib/api";
import { formatDateTime, formatRelative, humanize, ledgerReasonLabel } from "@/lib/format";
import { formatCount, formatDelta } from "@/lib/numbers";
import type { LedgerEntry } from "@/lib/types";
import { usePagedList } from "@/lib/use-paged-list";
import { PagedListView } from "./paged-list-view";
import { EmptyState } from "./ui/empty-state";

/** Enough of an id to tell entries apart: a UUID's head, a Stripe id's tail (`cs_test_…a1B2c3D4`). */
function shortId(id: string): string {
  const prefix = /^[a-z]+_(?:test_|live_)?/.exec(id)?.[0];
  return prefix ? `${prefix}…${id.slice(-8)}` : id.slice(0, 8);
}

function Reference({ entry }: { entry: LedgerEntry }) {
  if (!entry.ref_type && !entry.ref_id) return <span className="text-zinc-500">—</span>;
  return (
    <span className="text-zinc-600">
      {entry.ref_type ? humanize(entry.ref_type) : null}
      {entry.ref_id ? (
        <span className="ml-1 font-mono text-xs text-zinc-500" title={entry.ref_id}>
          {shortId(entry.ref_id)}
        </span>
      ) : null}
    </span>
  );
}

/**
 * One entry: a table row, which on a phone lays itself out as a two-line card (reason and
 * change, then when, reference and the balance after), so nothing scrolls sideways.
 */
function LedgerRow({ entry }: { entry: LedgerEntry }) {
  return (
    <tr className="max-sm:grid max-sm:grid-cols-[1fr_auto] max-sm:gap-x-3 max-sm:gap-y-0.5 max-sm:py-3">
      <td
        className="px-5 py-2.5 whitespace-nowrap text-zinc-600 max-sm:order-3 max-sm:p-0 max-sm:text-xs"
        title={formatDateTime(entry.created_at)}
      >
        {formatRelative(entry.created_at)}
      </td>
      <td className="px-3 py-2.5 text-zinc-800 max-sm:order-1 max-sm:p-0 max-sm:font-medium">
        {ledgerReasonLabel(entry.reason)}
      </td>
      <td className="px-3 py-2.5 max-sm:order-5 max-sm:col-span-2 max-sm:p-0 max-sm:text-xs max-sm:empty:hidden">
        <Reference entry={entry} />
      </td>
      <td
        className={`px-3 py-2.5 text-right font-medium tabular-nums max-sm:order-2 max-sm:p-0 ${
          entry.delta > 0 ? "text-emerald-700" : entry.delta < 0 ? "text-red-700" : "text-zinc-600"
        }`}
      >
        {formatDelta(entry.delta)}
      </td>
      <td className="px-5 py-2.5 text-right tabular-nums text-zinc-700 max-sm:order-4 max-sm:p-0 max-sm:text-xs">
        <span className="sm:hidden">balance </span>
        {formatCount(entry.balance_after)}
      </td>
    </tr>
  );
}

/** The credit ledger, newest first: every grant, spend and refund. */
export function LedgerTable() {
  const list = usePagedList<LedgerEntry>("ledger", (cursor) => listLedger(cursor));

  return (
    <PagedListView
      list={list}
      loadingLabel="Loading ledger"
      empty={<EmptyState title="No ledger entries yet" />}
      renderRow={(entry) => <LedgerRow entry={entry} />}
      wrap={(rows) => (
        <div
          className="-mx-5 overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600 max-sm:mx-0"
          role="region"
          aria-label="Ledger table"
          tabIndex={0}
        >
          <table className="min-w-full text-left text-sm max-sm:block">
            <thead className="text-xs tracking-wide text-zinc-600 uppercase max-sm:sr-only">
              <tr className="border-b border-zinc-100">
                <th scope="col" className="px-5 py-2 font-medium">When</th>
                <th scope="col" className="px-3 py-2 font-medium">Reason</th>
                <th scope="col" className="px-3 py-2 font-medium">Reference</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Change</th>
                <th scope="col" className="px-5 py-2 text-right font-medium">Balance after</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 max-sm:block">{rows}</tbody>
          </table>
        </div>
      )}
    />
  );
}
