"use client";

import { useState } from "react";
import { downloadFile } from "@/lib/download";
import { Button } from "./ui/button";

/** Saves an image (a storage URL) as a named PNG. */
export function ImageDownloadButton({
  url,
  fileName,
  size = "sm",
  label = "Download",
}: {
  url: string;
  fileName: string;
  size?: "sm" | "md";
  /** The accessible name when several are on one page ("Download version 2"). */
  label?: string;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      size={size}
      busy={busy}
      aria-label={label}
      title={`Save ${fileName}`}
      onClick={() => {
        setBusy(true);
        void downloadFile(url, fileName).finally(() => setBusy(false));
      }}
    >
      <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
        <path d="M10.75 2.75a.75.75 0 0 0-1.5 0v8.614L6.295 8.235a.75.75 0 1 0-1.09 1.03l4.25 4.5a.75.75 0 0 0 1.09 0l4.25-4.5a.75.75 0 0 0-1.09-1.03l-2.955 3.129V2.75Z" />
        <path d="M3.5 12.75a.75.75 0 0 0-1.5 0v2.5A2.75 2.75 0 0 0 4.75 18h10.5A2.75 2.75 0 0 0 18 15.25v-2.5a.75.75 0 0 0-1.5 0v2.5c0 .69-.56 1.25-1.25 1.25H4.75c-.69 0-1.25-.56-1.25-1.25v-2.5Z" />
      </svg>
      Download
    </Button>
  );
}
