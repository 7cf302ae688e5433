"use client";

import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";

/**
 * A form that opens in place from a button: when it opens, focus goes into its first field;
 * when it closes (Cancel, Escape), focus goes back to the button that opened it. `openerId` is
 * the opening button's id (it may be unmounted while the form is open).
 */
export function useInlineForm(openerId: string) {
  const [open, setOpen] = useState(false);
  const panelRef = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);

  useEffect(() => {
    if (open) {
      panelRef.current?.querySelector<HTMLElement>("input:enabled, textarea:enabled, select:enabled")?.focus();
    } else if (wasOpen.current) {
      document.getElementById(openerId)?.focus();
    }
    wasOpen.current = open;
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
