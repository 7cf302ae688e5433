"use client";

import { startTransition, useEffect, useState } from "react";

/**
 * False until a frame has been painted with `ready` true, then true for good: a page mounts
 * what its first screen needs (its largest paint) at once and the rest right after, so neither
 * React's commit nor the browser's layout of the page is one long task, and the first paint
 * waits for neither. The second part renders in a transition (in slices).
 */
export function useAfterPaint(ready: boolean): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (!ready || painted) return;
    let timer = 0;
    // requestAnimationFrame runs before the frame's paint; the timeout after it.
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => startTransition(() => setPainted(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, [ready, painted]);
  return painted;
}
