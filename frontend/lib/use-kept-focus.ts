"use client";

import { useCallback, useEffect, useRef, useState } from "react";

const ENABLED = "button:enabled, input:enabled, textarea:enabled, select:enabled";

/** `held` itself, or the control that replaced it (a form remounted for a new version): same id, or same kind and name. */
function successorOf(held: HTMLElement): HTMLElement | null {
  if (held.isConnected) return held;
  if (held.id) return document.getElementById(held.id);
  const label = held.getAttribute("aria-label");
  const text = held.textContent;
  for (const candidate of document.querySelectorAll<HTMLElement>(held.tagName)) {
    if (candidate.getAttribute("aria-label") === label && candidate.textContent === text) return candidate;
  }
  return null;
}

/** After the page changed: focus back on `held`, or the nearest enabled control if it is disabled now. */
function refocus(held: HTMLElement): void {
  const active = document.activeElement;
  // The user moved on meanwhile: leave them there.
  if (active && active !== document.body && active !== held && active.isConnected) return;
  const control = successorOf(held);
  if (!control) return;
  if (!control.matches(":disabled")) {
    if (active !== control) control.focus();
    return;
  }
  const near = control.parentElement?.querySelector<HTMLElement>(ENABLED);
  (near ?? control.closest("form, section")?.querySelector<HTMLElement>(ENABLED))?.focus();
}

/**
 * Keep the keyboard's place across an action: `const release = hold()` before it, `release()`
 * after. Once React has committed what the action changed, if focus fell to the page (the
 * control was disabled or replaced), it goes back to the control that had it, or, if that one
 * is disabled now (Undo at version 1), to an enabled one beside it (Redo), else the first of its
 * form or section.
 */
export function useKeptFocus(): () => () => void {
  const released = useRef<HTMLElement | null>(null);
  const [releases, setReleases] = useState(0);

  useEffect(() => {
    const held = released.current;
    if (!held) return;
    released.current = null;
    refocus(held);
  }, [releases]);

  return useCallback(() => {
    const held = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      if (!held) return;
      released.current = held;
      setReleases((n) => n + 1);
    };
  }, []);
}
