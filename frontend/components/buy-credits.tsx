"use client";

import { useState } from "react";
import { listCreditPacks, startCheckout } from "@/lib/api";
import { formatCredits, formatPrice } from "@/lib/numbers";
import type { CreditPack } from "@/lib/types";
import { useApiResource } from "@/lib/use-api-resource";
import { useIdempotencyKey } from "@/lib/use-idempotency-key";
import { ErrorBanner } from "./error-banner";
import { Button } from "./ui/button";
import { Skeleton } from "./ui/skeleton";

function PackCard({ pack, busy, onBuy }: { pack: CreditPack; busy: boolean; onBuy: () => void }) {
  return (
    <li className="flex flex-col rounded-lg border border-zinc-200 p-4" data-testid={`pack-${pack.id}`}>
      <p className="text-sm font-medium text-zinc-500 capitalize">{pack.id}</p>
      <p className="mt-1 text-2xl font-semibold tracking-tight text-zinc-900 tabular-nums">
        {formatCredits(pack.credits)}
      </p>
      <p className="mt-0.5 text-sm text-zinc-600">{formatPrice(pack.price_cents, pack.currency)}</p>
      <Button variant="primary" className="mt-4" busy={busy} onClick={onBuy} aria-label={`Buy ${pack.credits} credits`}>
        Buy
      </Button>
    </li>
  );
}

/** The packs on sale; buying one goes to Stripe Checkout (or the local stand-in) and back. */
export function BuyCredits() {
  const { data: packs, error: loadError } = useApiResource(() => listCreditPacks(), []);
  const send = useIdempotencyKey();
  const [buying, setBuying] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function buy(pack: CreditPack) {
    setBuying(pack.id);
    setError(null);
    try {
      const session = await send({ pack: pack.id }, (key) => startCheckout(pack.id, key));
      window.location.assign(session.checkout_url);
    } catch (caught) {
      setError(caught);
      setBuying(null);
    }
  }

  if (loadError) return <ErrorBanner error={loadError} />;
  if (!packs) {
    return (
      <div role="status" className="grid gap-4 sm:grid-cols-3">
        <span className="sr-only">Loading packs…</span>
        <Skeleton className="h-36 w-full" />
        <Skeleton className="h-36 w-full" />
        <Skeleton className="h-36 w-full" />
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <ul className="grid gap-4 sm:grid-cols-3">
        {packs.map((pack) => (
          <PackCard key={pack.id} pack={pack} busy={buying === pack.id} onBuy={() => void buy(pack)} />
        ))}
      </ul>
      <p className="text-xs text-zinc-500">
        Payment is taken by Stripe; the credits arrive as soon as Stripe confirms it.
      </p>
    </div>
  );
}
