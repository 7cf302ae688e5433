"use client";

import { useEffect } from "react";

/** A detail page's title names what it shows (the route announcer reads it); null keeps the route's. */
export function useDocumentTitle(name: string | null | undefined): void {
  useEffect(() => {
    if (name) document.title = `${name} · asset-engine`;
  }, [name]);
}
