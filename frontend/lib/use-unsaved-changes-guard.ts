"use client";

import { useEffect } from "react";

const LEAVE_MESSAGE = "You have unsaved changes. Leave this page and lose them?";

/**
 * While `dirty`, leaving the page asks first: the browser's own question for a reload, a
 * closed tab or a typed address (`beforeunload`), and a confirm before an in-app link, whose
 * client-side navigation fires no `beforeunload`. Links are caught on the document in the
 * capture phase, before next/link's handler (which leaves a prevented click alone); cancelling
 * keeps the page as it was. A link opened elsewhere (a new tab, a download) or one to this same
 * page (a #fragment) loses nothing and passes. Back and forward (popstate) are not guarded.
 */
export function useUnsavedChangesGuard(dirty: boolean, message: string = LEAVE_MESSAGE): void {
  useEffect(() => {
    if (!dirty) return;

    function onBeforeUnload(event: BeforeUnloadEvent) {
      event.preventDefault();
      // Older browsers ask only when returnValue is set.
      event.returnValue = "";
    }

    function onClick(event: MouseEvent) {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!(anchor instanceof HTMLAnchorElement)) return;
      if ((anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return;
      const to = new URL(anchor.href, window.location.href);
      // Another site is a full navigation: beforeunload asks.
      if (to.origin !== window.location.origin) return;
      if (to.pathname === window.location.pathname && to.search === window.location.search) return;
      if (window.confirm(message)) return;
      event.preventDefault();
      event.stopPropagation();
    }

    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [dirty, message]);
}
