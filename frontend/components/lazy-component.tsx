"use client";

import { lazy, Suspense, type ComponentType, type ReactNode } from "react";

/**
 * A component whose code loads the first time it renders, with `fallback` meanwhile: React's
 * `lazy` inside its own Suspense boundary (so a chunk on its way never suspends the page around
 * it). Rather than next/dynamic, whose own runtime costs each page that uses it ~1 kB gzip; what
 * that adds (preloading a chunk the server rendered) is not needed here: these components
 * render in the browser only (after a click, or once the page's data is read), or, as
 * the Google button, wait for Google's script anyway.
 *
 * `load` may be called elsewhere too, to start fetching early (on hover, on focus).
 */
export function lazyComponent<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: ReactNode = null,
): ComponentType<P> {
  const Lazy = lazy(async () => ({ default: await load() }));
  function LazyComponent(props: P) {
    return (
      <Suspense fallback={fallback}>
        <Lazy {...props} />
      </Suspense>
    );
  }
  return LazyComponent;
}
