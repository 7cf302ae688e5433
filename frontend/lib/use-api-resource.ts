"use client";

import {
  startTransition,
  useCallback,
  useEffect,
  useRef,
  useState,
  type DependencyList,
  type SetStateAction,
} from "react";
import { isApiError } from "./api";

interface ResourceState<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
}

export interface ApiResource<T> {
  /** The last answer; kept on screen while `deps` change or `reload()` runs, until the next one arrives. */
  data: T | null;
  /** The last failure, cleared when a read starts again. */
  error: unknown;
  loading: boolean;
  /** The API answered 404: gone, or another account's. */
  notFound: boolean;
  /** Replace the data with what another call answered (a save, a status change). */
  setData: (next: SetStateAction<T | null>) => void;
  reload: () => void;
}

/**
 * One thing read from the API: read again whenever `deps` change (the fetcher's inputs). An
 * answer that arrives after a newer read started, after `setData`, or after unmount is dropped.
 *
 * An answer is shown in a transition: React renders what it fills in (often the whole page)
 * in slices that leave the main thread free between them, not in one long task.
 */
export function useApiResource<T>(fetcher: () => Promise<T>, deps: DependencyList): ApiResource<T> {
  const fetchRef = useRef(fetcher);
  useEffect(() => {
    fetchRef.current = fetcher;
  });

  const [reloadToken, setReloadToken] = useState(0);
  const [state, setState] = useState<ResourceState<T>>({ data: null, error: null, loading: true });
  // Bumped by every read and every setData: only the newest read may write.
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    let alive = true;
    const current = () => alive && generation.current === mine;
    // The read starts here (the effect's external system); unchanged state bails out, as on mount.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setState((s) => (s.loading && s.error === null ? s : { ...s, error: null, loading: true }));
    // Checked again when the transition applies: a setData in between wins.
    const show = (next: (s: ResourceState<T>) => ResourceState<T>) =>
      startTransition(() => setState((s) => (current() ? next(s) : s)));
    fetchRef.current().then(
      (data) => {
        if (current()) show(() => ({ data, error: null, loading: false }));
      },
      (error: unknown) => {
        if (current()) show((s) => ({ ...s, error, loading: false }));
      },
    );
    return () => {
      alive = false;
    };
    // The caller names the fetcher's inputs in `deps`, as for useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, reloadToken]);

  const setData = useCallback((next: SetStateAction<T | null>) => {
    generation.current++;
    setState((s) => ({
      data: typeof next === "function" ? (next as (previous: T | null) => T | null)(s.data) : next,
      error: null,
      loading: false,
    }));
  }, []);
  const reload = useCallback(() => setReloadToken((n) => n + 1), []);

  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    notFound: isApiError(state.error) && state.error.status === 404,
    setData,
    reload,
  };
}
