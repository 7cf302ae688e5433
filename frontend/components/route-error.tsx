"use client";

import Link from "./ui/link";
import { useEffect } from "react";
import { ErrorBanner } from "./error-banner";
import { Button } from "./ui/button";

/** What an `error.tsx` shows: the error's message, a retry, and a way back. */
export function RouteError({ error, retry, backHref, backLabel }: { error: unknown; retry?: () => void; backHref: string; backLabel: string }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <div className="mx-auto max-w-xl space-y-4 py-10">
      <h1 className="text-lg font-semibold text-zinc-900">Something went wrong on this page</h1>
      <ErrorBanner error={error} />
      <div className="flex gap-2">
        {retry ? (
          <Button variant="primary" onClick={retry}>
            Try again
          </Button>
        ) : null}
        <Link href={backHref} className="inline-flex h-9 items-center rounded-md px-3.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100">
          {backLabel}
        </Link>
      </div>
    </div>
  );
}
