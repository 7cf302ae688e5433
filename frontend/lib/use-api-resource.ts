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
import { discardEarlyResponse } from "./early-data";

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
 * Initial values already shown once. The same object again is a page Next restored from its
 * router cache (back, forward): what the server read then may have changed since.
 */
const shownInitials = new WeakSet<object>();

/** True the first time this initial value is shown (a value that is no object counts as new). */
function firstShowing(initial: unknown): boolean {
  if (typeof initial !== "object" || initial === null) return true;
  if (shownInitials.has(initial)) return false;
  shownInitials.add(initial);
  return true;
}

function sameDeps(a: DependencyList, b: DependencyList): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

/**
 * One thing read from the API: read again whenever `deps` change (the fetcher's inputs). An
 * answer that arrives after a newer read started, after `setData`, or after unmount is dropped.
 *
 * `initial`: what the server read for these `deps` (a detail page's record, lib/server-read.ts).
 * It is shown at once and not read again on mount; a change of `deps` or `reload()` reads as usual.
 *
 * An answer is shown in a transition: React renders what it fills in (often the whole page)
 * in slices that leave the main thread free between them, not in one long task.
 */
export function useApiResource<T>(fetcher: () => Promise<T>, deps: DependencyList, initial?: T): ApiResource<T> {
  const fetchRef = useRef(fetcher);
  useEffect(() => {
    fetchRef.current = fetcher;
  });

  const [reloadToken, setReloadToken] = useState(0);
  const [state, setState] = useState<ResourceState<T>>(() =>
    initial === undefined ? { data: null, error: null, loading: true } : { data: initial, error: null, loading: false },
  );
  // Bumped by every read and every setData: only the newest read may write.
  const generation = useRef(0);
  // The deps `initial` was read for, until they change or a reload is asked; and whether it is
  // fresh (decided once, so that Strict Mode's second run of the effect decides alike).
  const served = useRef<{ deps: DependencyList; fresh: boolean | null } | null>(
    initial === undefined ? null : { deps, fresh: null },
  );

  useEffect(() => {
    if (served.current) {
      served.current.fresh ??= firstShowing(initial);
      if (served.current.fresh && reloadToken === 0 && sameDeps(served.current.deps, deps)) {
        discardEarlyResponse();
        return;
      }
      served.current = null;
    }
    const mine = ++generation.current;
    let alive = true;
    const current = () => alive && generation.current === mine;
    // The read starts here (the effect's external system); unchanged state bails out, as on mount.
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
    notFound: isNotFound(state.error),
    setData,
    reload,
  };
}

/** No such record: a 404, or an id in the URL that cannot name one (a mistyped link's 422). */
function isNotFound(error: unknown): boolean {
  if (!isApiError(error)) return false;
  return error.status === 404 || (error.status === 422 && error.details.some((issue) => issue.loc[0] === "path"));
}
