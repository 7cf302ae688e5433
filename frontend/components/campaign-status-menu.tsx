"use client";

import { useEffect, useRef, useState } from "react";
import { isApiError, setCampaignStatus } from "@/lib/api";
import { NEXT_STATUSES, transitionLabel } from "@/lib/campaign-status";
import { CAMPAIGN_STATUS_LABELS } from "@/lib/format";
import type { Campaign, CampaignStatus } from "@/lib/types";
import { ErrorBanner } from "./error-banner";
import { lazyComponent } from "./lazy-component";
import { Button } from "./ui/button";

// Asks before Archive (nothing leaves archived); its code loads with the buttons that offer it.
const ConfirmDialog = lazyComponent(() => import("./ui/confirm-dialog").then((m) => m.ConfirmDialog));

/** One button per status the campaign may move to next; none once archived, which asks first. */
export function CampaignStatusMenu({
  campaign,
  onChanged,
  onStale,
}: {
  campaign: Campaign;
  onChanged: (campaign: Campaign) => void;
  /** The status moved elsewhere meanwhile (409): read the campaign again. */
  onStale: () => void;
}) {
  const [pending, setPending] = useState<CampaignStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirmingArchive, setConfirmingArchive] = useState(false);
  const group = useRef<HTMLDivElement>(null);
  const refocus = useRef(false);
  const next = NEXT_STATUSES[campaign.status];

  // The buttons change with the status: once the new ones are rendered (and no longer busy),
  // focus the first of them (or the group's note), unless the user has moved on meanwhile.
  // After the commit, not on a timer: a slow render must not leave focus on the page.
  useEffect(() => {
    if (!refocus.current || pending !== null) return;
    refocus.current = false;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    (group.current?.querySelector<HTMLElement>("button:enabled") ?? group.current)?.focus();
  }, [campaign.status, pending]);

  async function change(status: CampaignStatus) {
    setPending(status);
    setError(null);
    try {
      const changed = await setCampaignStatus(campaign.id, status);
      refocus.current = true;
      onChanged(changed);
    } catch (err) {
      setError(err);
      if (isApiError(err) && err.status === 409) onStale();
    } finally {
      setPending(null);
    }
  }

  const conflict = isApiError(error) && error.status === 409;

  return (
    <div className="space-y-2 outline-none" ref={group} tabIndex={-1}>
      {next.length === 0 ? (
        <p className="text-sm text-zinc-500">Archived campaigns can’t change status.</p>
      ) : (
        <div className="flex flex-wrap gap-2" role="group" aria-label="Change status">
          {next.map((status) => (
            <Button
              key={status}
              size="sm"
              variant={status === "archived" ? "danger" : status === "active" ? "primary" : "secondary"}
              busy={pending === status}
              disabled={pending !== null}
              onClick={() => (status === "archived" ? setConfirmingArchive(true) : change(status))}
              title={`Change status to ${CAMPAIGN_STATUS_LABELS[status]}`}
            >
              {transitionLabel(campaign.status, status)}
            </Button>
          ))}
        </div>
      )}
      {next.includes("archived") ? (
        <ConfirmDialog
          open={confirmingArchive}
          title={`Archive “${campaign.name}”?`}
          confirmLabel="Archive"
          cancelLabel="Cancel"
          onCancel={() => setConfirmingArchive(false)}
          onConfirm={() => {
            setConfirmingArchive(false);
            void change("archived");
          }}
        >
          An archived campaign can’t change status again, and no new copy or images are made for it. Its assets
          stay readable.
        </ConfirmDialog>
      ) : null}
      <ErrorBanner
        error={error}
        onDismiss={() => setError(null)}
        action={
          conflict ? <p>Someone changed this campaign’s status meanwhile; it has been reloaded, so pick again.</p> : null
        }
      />
    </div>
  );
}
