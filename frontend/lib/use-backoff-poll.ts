"use client";

import { useEffect, useRef, type DependencyList } from "react";

/** Gaps between looks: 1 s, then 1.5× longer each time, at most 5 s. */
export const POLL_FIRST_MS = 1000;
export const POLL_FACTOR = 1.5;
export const POLL_MAX_MS = 5000;

/**
 * Calls `check` while `active` until it resolves true (done): 1 s, 1.5 s, 2.25 s … 5 s apart
 * (`immediate`: once at once first). A check that throws counts as not done. While the tab is
 * hidden nothing is checked; when it shows again it checks at once and the gaps start over. A
 * change of `active` or `deps` starts over too; one check runs at a time. `check` is given
 * `current()`: false once its round has been replaced or unmounted (drop what it read then).
 */
export function useBackoffPoll(
  active: boolean,
  check: (current: () => boolean) => Promise<boolean>,
  deps: DependencyList,
  { immediate = false }: { immediate?: boolean } = {},
): void {
  const checkRef = useRef(check);
  useEffect(() => {
    checkRef.current = check;
  });

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let running = false;
    let timer: number | undefined;
    let looks = 0;
    let ended = false;
    const current = () => !ended;

    const nextGap = () => Math.min(POLL_MAX_MS, POLL_FIRST_MS * POLL_FACTOR ** looks++);
    const schedule = (ms: number) => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void tick(), ms);
    };

    async function tick(): Promise<void> {
      // Hidden: stop here; visibilitychange starts again.
      if (stopped || running || document.hidden) return;
      running = true;
      let done = false;
      try {
        done = await checkRef.current(current);
      } catch {
        // Unreachable for now: look again later.
      }
      running = false;
      if (done) stopped = true;
      if (!stopped && !document.hidden) schedule(nextGap());
    }

    function onVisibilityChange(): void {
      if (stopped) return;
      if (document.hidden) {
        window.clearTimeout(timer);
      } else if (!running) {
        looks = 0;
        schedule(0);
      }
    }

    document.addEventListener("visibilitychange", onVisibilityChange);
    schedule(immediate ? 0 : nextGap());
    return () => {
      stopped = true;
      ended = true;
      window.clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibilityChange);
    };
    // The caller names check's inputs in `deps`, as for useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, ...deps]);
}
