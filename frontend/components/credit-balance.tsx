"use client";

import Link from "./ui/link";
import { formatCredits } from "@/lib/numbers";
import { useSession } from "./session-provider";

/** The header's balance; it follows the session, which every spending answer updates. */
export function CreditBalance() {
  const { balance } = useSession();
  const low = balance !== null && balance < 5;
  return (
    <Link
      href="/credits"
      title="Credits balance"
      className={`inline-flex h-8 min-w-[7.5rem] items-center justify-center gap-1.5 rounded-full px-3 text-sm font-medium ring-1 ring-inset transition-colors ${
        low
          ? "bg-amber-50 text-amber-800 ring-amber-300 hover:bg-amber-100"
          : "bg-indigo-50 text-indigo-700 ring-indigo-200 hover:bg-indigo-100"
      }`}
    >
      <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
        <path d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm.75 4.5v.6c1.1.2 2 .9 2.2 1.9a.75.75 0 0 1-1.46.34c-.1-.4-.6-.84-1.49-.84-1 0-1.5.5-1.5.9 0 .36.2.7 1.6.98 1.6.32 2.9.9 2.9 2.42 0 1-.86 1.8-2.25 2v.7a.75.75 0 0 1-1.5 0v-.7c-1.1-.2-2-.9-2.2-1.9a.75.75 0 0 1 1.46-.34c.1.4.6.84 1.49.84 1 0 1.5-.5 1.5-.9 0-.36-.2-.7-1.6-.98-1.6-.32-2.9-.9-2.9-2.42 0-1 .86-1.8 2.25-2v-.6a.75.75 0 0 1 1.5 0Z" />
      </svg>
      <span data-testid="credits-balance">{balance === null ? "—" : formatCredits(balance)}</span>
    </Link>
  );
}
