import { LoadingRows, Skeleton } from "./ui/skeleton";

export function RouteLoading({ label }: { label: string }) {
  return (
    <div className="space-y-6">
      <Skeleton className="h-8 w-56" />
      <LoadingRows rows={5} label={label} />
    </div>
  );
}
