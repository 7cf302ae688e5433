"use client";

import { useEffect } from "react";
import { formatCredits } from "@/lib/numbers";
import { useSession } from "./session-provider";

/** The balance, as the API has it now. */
export function BalanceCard() {
  const { balance, refreshBalance, prices } = useSession();

  useEffect(() => {
    void refreshBalance();
  }, [refreshBalance]);

  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm">
      <p className="text-sm font-medium text-zinc-600">Balance</p>
      <p className="mt-1 text-3xl font-semibold tracking-tight text-zinc-900 tabular-nums" data-testid="credits-page-balance">
        {balance === null ? "—" : formatCredits(balance)}
      </p>
      <p className="mt-3 text-sm text-zinc-600">
        {/* Until the prices are read, the same sentence holds their place unseen (no shift). */}
        <span className={prices ? undefined : "invisible"} aria-hidden={prices ? undefined : true}>
          Text copy costs {formatCredits(prices?.text ?? 1)} per variant; suggestions{" "}
          {formatCredits(prices?.suggestions ?? 1)}, refine {formatCredits(prices?.refine ?? 1)}, regenerating text{" "}
          {formatCredits(prices?.regenerate ?? 1)}; an image {formatCredits(prices?.image ?? 5)}.{" "}
        </span>
        A failed AI call is refunded automatically.
      </p>
    </div>
  );
}
