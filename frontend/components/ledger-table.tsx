"use client";

import { listLedger } from "@/lib/api";
import { formatDateTime, formatDelta, formatRelative, humanize, ledgerReasonLabel } from "@/lib/format";
import type { LedgerEntry } from "@/lib/types";
import { usePagedList } from "@/lib/use-paged-list";
import { PagedListView } from "./paged-list-view";
import { EmptyState } from "./ui/empty-state";

function Reference({ entry }: { entry: LedgerEntry }) {
  if (!entry.ref_type && !entry.ref_id) return <span className="text-zinc-500">—</span>;
  return (
    <span className="text-zinc-600">
      {entry.ref_type ? humanize(entry.ref_type) : null}
      {entry.ref_id ? (
        <span className="ml-1 font-mono text-xs text-zinc-500" title={entry.ref_id}>
          {entry.ref_id.slice(0, 8)}
        </span>
      ) : null}
    </span>
  );
}

function LedgerRow({ entry }: { entry: LedgerEntry }) {
  return (
    <tr>
      <td className="px-5 py-2.5 whitespace-nowrap text-zinc-600" title={formatDateTime(entry.created_at)}>
        {formatRelative(entry.created_at)}
      </td>
      <td className="px-3 py-2.5 text-zinc-800">{ledgerReasonLabel(entry.reason)}</td>
      <td className="px-3 py-2.5">
        <Reference entry={entry} />
      </td>
      <td
        className={`px-3 py-2.5 text-right font-medium tabular-nums ${
          entry.delta > 0 ? "text-emerald-700" : entry.delta < 0 ? "text-red-700" : "text-zinc-600"
        }`}
      >
        {formatDelta(entry.delta)}
      </td>
      <td className="px-5 py-2.5 text-right tabular-nums text-zinc-700">{entry.balance_after.toLocaleString()}</td>
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
        <div className="-mx-5 overflow-x-auto">
          <table className="min-w-full text-left text-sm">
            <thead className="text-xs tracking-wide text-zinc-500 uppercase">
              <tr className="border-b border-zinc-100">
                <th scope="col" className="px-5 py-2 font-medium">When</th>
                <th scope="col" className="px-3 py-2 font-medium">Reason</th>
                <th scope="col" className="px-3 py-2 font-medium">Reference</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Change</th>
                <th scope="col" className="px-5 py-2 text-right font-medium">Balance after</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">{rows}</tbody>
          </table>
        </div>
      )}
    />
  );
}
