"use client";

import Link from "./ui/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { listLedger } from "@/lib/api";
import { formatCredits } from "@/lib/numbers";
import type { LedgerEntry } from "@/lib/types";
import { useSession } from "./session-provider";
import { Button } from "./ui/button";
import { Spinner } from "./ui/spinner";

const POLL_EVERY_MS = 1000;
const POLL_FOR_MS = 30_000;

/** The purchase row of a Checkout Session, once Stripe's webhook has landed. */
async function purchaseOf(sessionId: string): Promise<LedgerEntry | null> {
  const page = await listLedger();
  return page.items.find((entry) => entry.reason === "purchase" && entry.ref_id === sessionId) ?? null;
}

/**
 * Back from Checkout: the payment is Stripe's to confirm, by webhook. Look at the ledger every
 * second for a while until the purchase shows, then show the new balance.
 */
export function PurchaseConfirmation() {
  const sessionId = useSearchParams().get("session_id");
  const { balance, refreshBalance } = useSession();
  const [entry, setEntry] = useState<LedgerEntry | null>(null);
  const [waiting, setWaiting] = useState(true);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!sessionId) return;
    let cancelled = false;
    let timer: number | undefined;
    const started = Date.now();
    const look = async () => {
      let found: LedgerEntry | null = null;
      try {
        found = await purchaseOf(sessionId);
      } catch {
        // A failed read is tried again on the next tick.
      }
      if (cancelled) return;
      if (found) {
        setEntry(found);
        setWaiting(false);
        void refreshBalance();
      } else if (Date.now() - started < POLL_FOR_MS) {
        timer = window.setTimeout(() => void look(), POLL_EVERY_MS);
      } else {
        setWaiting(false);
      }
    };
    void look();
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [sessionId, refreshBalance, round]);

  const lookAgain = useCallback(() => {
    setWaiting(true);
    setRound((n) => n + 1);
  }, []);

  if (!sessionId) {
    return (
      <p className="text-sm text-zinc-600">
        No checkout to confirm. <Link href="/credits" className="font-medium text-indigo-700 underline">Back to credits</Link>
      </p>
    );
  }
  if (entry) {
    return (
      <div className="space-y-3" data-testid="purchase-confirmed">
        <p className="text-lg font-semibold text-emerald-700">{formatCredits(entry.delta)} added. Thank you!</p>
        <p className="text-sm text-zinc-600">
          Your balance is now{" "}
          <span className="font-semibold text-zinc-900 tabular-nums" data-testid="purchase-balance">
            {formatCredits(balance ?? entry.balance_after)}
          </span>
          .
        </p>
        <Link href="/credits" className="text-sm font-medium text-indigo-700 underline underline-offset-2">
          See the ledger
        </Link>
      </div>
    );
  }
  if (waiting) {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-zinc-600">
        <Spinner className="size-4" /> Payment received; waiting for Stripe to confirm it…
      </p>
    );
  }
  return (
    <div className="space-y-3">
      <p className="text-sm text-zinc-600">
        Stripe has not confirmed this payment yet. The credits are added as soon as it does; nothing is charged twice.
      </p>
      <Button onClick={lookAgain}>Check again</Button>
    </div>
  );
}
