import { Fragment, type ReactNode } from "react";
import type { PagedList } from "@/lib/use-paged-list";
import { ErrorBanner } from "./error-banner";
import { LoadMoreButton } from "./load-more-button";
import { LoadingRows } from "./ui/skeleton";

/**
 * A `usePagedList` list on screen: its error, placeholder rows while the first page loads, the
 * empty state, the rows (`renderRow` each, inside `wrap`: a `<ul>`, a table body…) and "Load more".
 */
export function PagedListView<T extends { id: string }>({
  list,
  loadingLabel,
  empty,
  renderRow,
  wrap = (rows) => <>{rows}</>,
}: {
  list: PagedList<T>;
  loadingLabel: string;
  empty: ReactNode;
  renderRow: (item: T) => ReactNode;
  wrap?: (rows: ReactNode) => ReactNode;
}) {
  return (
    <div>
      {list.error ? (
        <div className="mb-4">
          <ErrorBanner error={list.error} onDismiss={list.clearError} />
        </div>
      ) : null}
      {list.items.length > 0
        ? wrap(list.items.map((item) => <Fragment key={item.id}>{renderRow(item)}</Fragment>))
        : list.loading
          ? <LoadingRows label={loadingLabel} />
          : list.error
            ? null
            : empty}
      <LoadMoreButton hasMore={list.hasMore} busy={list.loadingMore} onClick={list.loadMore} />
    </div>
  );
}
