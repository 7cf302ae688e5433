"use client";

import { useSyncExternalStore } from "react";
import type { Writing } from "./numbers";

const noChanges = () => () => {};

/**
 * False in the server's render and in the browser's hydrating render, true from then on (and
 * at once for what mounts later).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noChanges,
    () => true,
    () => false,
  );
}

/**
 * How a server-rendered record's counts and dates are written: the fixed way until the page has
 * hydrated (the server knows neither the browser's language nor its time zone, and a mismatch
 * would make React throw the server's HTML away), the browser's from then on.
 */
export function useWriting(): Writing {
  return useHydrated() ? "browser" : "fixed";
}
