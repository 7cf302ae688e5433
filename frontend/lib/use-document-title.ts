"use client";

import { useEffect } from "react";

/**
 * A detail page's title names what it shows (the route announcer reads it); null keeps the
 * route's. The route's own title may be written after ours (Next applies metadata as it
 * streams in): while the page shows, ours is put back.
 */
export function useDocumentTitle(name: string | null | undefined): void {
  useEffect(() => {
    if (!name) return;
    const title = `${name} · asset-engine`;
    const apply = () => {
      if (document.title !== title) document.title = title;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [name]);
}
