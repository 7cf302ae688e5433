"use client";

import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";

const FIELD = "input:enabled, textarea:enabled, select:enabled";

/**
 * Focus the panel's first field; false while it has none yet. Only while focus is where opening
 * left it (the opener, or nowhere once the opener is gone) or already in the panel: a user who
 * went elsewhere while the form loaded keeps their place.
 */
function focusFirstField(panel: HTMLElement, openerId: string): boolean {
  const field = panel.querySelector<HTMLElement>(FIELD);
  if (!field) return false;
  const here = document.activeElement;
  if (here === null || here === document.body || here.id === openerId || panel.contains(here)) field.focus();
  return true;
}

/**
 * A form that opens in place from a button: when it opens, focus goes into its first field
 * (once the field is there: a form whose code loads on first open arrives a moment after its
 * panel); when it closes (Cancel, Escape), focus goes back to the button that opened it.
 * `openerId` is the opening button's id (it may be unmounted while the form is open).
 */
export function useInlineForm(openerId: string) {
  const [open, setOpen] = useState(false);
  const panelRef = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);

  useEffect(() => {
    const closed = !open && wasOpen.current;
    wasOpen.current = open;
    if (closed) document.getElementById(openerId)?.focus();
    const panel = panelRef.current;
    if (!open || !panel || focusFirstField(panel, openerId)) return;
    const observer = new MutationObserver(() => {
      if (focusFirstField(panel, openerId)) observer.disconnect();
    });
    observer.observe(panel, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [open, openerId]);

  const show = useCallback(() => setOpen(true), []);
  const hide = useCallback(() => setOpen(false), []);
  const onKeyDown = useCallback((event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    event.preventDefault();
    setOpen(false);
  }, []);

  return { open, show, hide, panelProps: { ref: panelRef, onKeyDown } };
}
