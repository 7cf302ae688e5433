import { Button } from "./ui/button";

export function LoadMoreButton({ hasMore, busy, onClick }: { hasMore: boolean; busy: boolean; onClick: () => void }) {
  if (!hasMore) return null;
  return (
    <div className="flex justify-center pt-4">
      <Button onClick={onClick} busy={busy}>
        Load more
      </Button>
    </div>
  );
}
