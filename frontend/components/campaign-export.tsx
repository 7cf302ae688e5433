"use client";

import { useState } from "react";
import { exportCampaign, isApiError, type ExportFormat } from "@/lib/api";
import { saveBlob } from "@/lib/download";
import type { Campaign } from "@/lib/types";
import { ErrorBanner } from "./error-banner";
import { Button } from "./ui/button";

/** Download the campaign's assets: a CSV, or a ZIP with the CSV and every image (413 when too big: CSV instead). */
export function CampaignExport({ campaign }: { campaign: Campaign }) {
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  async function download(format: ExportFormat) {
    setBusy(format);
    setError(null);
    setDone(null);
    try {
      const { blob, fileName } = await exportCampaign(campaign, format);
      saveBlob(blob, fileName);
      setDone(`Downloaded ${fileName}.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  const tooBig = isApiError(error) && error.status === 413;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Export">
        <Button size="sm" busy={busy === "csv"} disabled={busy !== null} onClick={() => download("csv")}>
          Export CSV
        </Button>
        <Button size="sm" busy={busy === "zip"} disabled={busy !== null} onClick={() => download("zip")}>
          Export ZIP
        </Button>
        <span role="status" className="text-xs text-zinc-600">
          {done}
        </span>
      </div>
      <ErrorBanner
        error={error}
        onDismiss={() => setError(null)}
        action={
          tooBig ? (
            <div className="flex flex-wrap items-center gap-3">
              <span>The images are too large to download in one ZIP. The CSV lists each image’s link.</span>
              <Button size="sm" onClick={() => download("csv")}>
                Export CSV instead
              </Button>
            </div>
          ) : null
        }
      />
    </div>
  );
}
