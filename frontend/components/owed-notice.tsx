"use client";

import { getBalance } from "@/lib/api";
import { formatCredits } from "@/lib/numbers";
import { useApiResource } from "@/lib/use-api-resource";

/** Credits a refunded purchase still owes: nothing can be spent until a purchase settles them. */
export function OwedNotice() {
  const { data } = useApiResource(() => getBalance(), []);
  if (!data?.owed) return null;
  return (
    <div role="status" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-medium">{formatCredits(data.owed)} owed from a refunded purchase</p>
      <p>
        They were spent before the refund. Spending is paused until they are settled: the next pack you buy
        settles them first.
      </p>
    </div>
  );
}
