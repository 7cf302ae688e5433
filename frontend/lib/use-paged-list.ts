"use client";

import { startTransition, useCallback, useEffect, useRef, useState } from "react";
import type { Page } from "./types";

interface PagedListState<T> {
  items: T[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
}

/** What `PagedListView` (components/paged-list-view.tsx) shows. */
export interface PagedList<T> {
  items: T[];
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => Promise<void>;
  reload: () => void;
  clearError: () => void;
}

/**
 * A newest-first list read page by page with the API's opaque `next_cursor`.
 * `queryKey` names the query (its filters): a new key starts again from the first page, and a
 * "Load more" still in flight for the old key is dropped when it answers.
 */
export function usePagedList<T extends { id: string }>(
  queryKey: string,
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
): PagedList<T> {
  const fetchRef = useRef(fetchPage);
  useEffect(() => {
    fetchRef.current = fetchPage;
  });

  const [reloadToken, setReloadToken] = useState(0);
  const [state, setState] = useState<PagedListState<T>>({
    items: [],
    nextCursor: null,
    loading: true,
    loadingMore: false,
    error: null,
  });
  // The query on screen, as an object: a new query is a new object, even for a key seen before.
  const query = useRef<{ key: string } | null>(null);

  useEffect(() => {
    let cancelled = false;
    const sameQuery = query.current?.key === queryKey;
    if (!sameQuery) query.current = { key: queryKey };
    // A reload keeps the rows on screen until the fresh ones arrive; a new query clears them
    // (and its cursor: the old query's next page is not this one's).
    setState((s) =>
      sameQuery
        ? { ...s, loading: true, error: null }
        : { items: [], nextCursor: null, loading: true, loadingMore: false, error: null },
    );
    // The first page is shown in a transition (rendered in slices, not one long task);
    // `cancelled` is checked again when it applies, so a newer query's reset wins.
    const show = (next: (s: PagedListState<T>) => PagedListState<T>) =>
      startTransition(() => setState((s) => (cancelled ? s : next(s))));
    fetchRef.current(null).then(
      (page) => {
        if (cancelled) return;
        show(() => ({ items: page.items, nextCursor: page.next_cursor, loading: false, loadingMore: false, error: null }));
      },
      (error: unknown) => {
        if (!cancelled) show((s) => ({ ...s, loading: false, error }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [queryKey, reloadToken]);

  const loadMore = useCallback(async () => {
    const cursor = state.nextCursor;
    if (!cursor || state.loadingMore) return;
    const asked = query.current;
    setState((s) => ({ ...s, loadingMore: true, error: null }));
    try {
      const page = await fetchRef.current(cursor);
      if (query.current !== asked) return; // the filters changed meanwhile: not this list's page
      setState((s) => {
        const seen = new Set(s.items.map((item) => item.id));
        return {
          ...s,
          items: [...s.items, ...page.items.filter((item) => !seen.has(item.id))],
          nextCursor: page.next_cursor,
          loadingMore: false,
        };
      });
    } catch (error) {
      if (query.current === asked) setState((s) => ({ ...s, loadingMore: false, error }));
    }
  }, [state.nextCursor, state.loadingMore]);

  const reload = useCallback(() => setReloadToken((n) => n + 1), []);

  const clearError = useCallback(() => setState((s) => ({ ...s, error: null })), []);

  return {
    items: state.items,
    loading: state.loading,
    loadingMore: state.loadingMore,
    error: state.error,
    hasMore: state.nextCursor !== null,
    loadMore,
    reload,
    clearError,
  };
}
