import Link from "./ui/link";
import type { ReactNode } from "react";
import type { ApiResource } from "@/lib/use-api-resource";
import { ErrorBanner } from "./error-banner";
import { Button } from "./ui/button";
import { EmptyState } from "./ui/empty-state";
import { LoadingRows, Skeleton } from "./ui/skeleton";

/** What a page shows before its one resource is there: not found, the error with a retry, or a skeleton. */
export function ResourceFallback({
  resource,
  notFoundTitle,
  notFoundHint,
  backHref,
  backLabel,
  loadingLabel,
  rows = 3,
}: {
  resource: Pick<ApiResource<unknown>, "error" | "notFound" | "reload">;
  notFoundTitle: string;
  notFoundHint: ReactNode;
  backHref: string;
  backLabel: string;
  loadingLabel: string;
  rows?: number;
}) {
  if (resource.notFound) {
    return (
      <EmptyState title={notFoundTitle}>
        {notFoundHint}{" "}
        <Link href={backHref} className="font-medium text-indigo-700 hover:underline">
          {backLabel}
        </Link>
      </EmptyState>
    );
  }
  if (resource.error) {
    return (
      <ErrorBanner
        error={resource.error}
        action={
          <Button size="sm" onClick={resource.reload}>
            Try again
          </Button>
        }
      />
    );
  }
  return (
    <div className="space-y-6">
      <Skeleton className="h-8 w-64" />
      <LoadingRows rows={rows} label={loadingLabel} />
    </div>
  );
}
