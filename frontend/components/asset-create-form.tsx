"use client";

import { useState, type FormEvent } from "react";
import { createAsset } from "@/lib/api";
import type { Asset, Campaign } from "@/lib/types";
import { ErrorBanner } from "./error-banner";
import { Button } from "./ui/button";
import { Field, Select, TextArea, TextInput } from "./ui/form-controls";

/** POST /api/v1/assets: a text asset written by hand (free), at version 1. */
export function AssetCreateForm({
  campaigns,
  defaultCampaignId,
  onCreated,
  onCancel,
}: {
  campaigns: Campaign[];
  defaultCampaignId?: string | null;
  onCreated: (asset: Asset) => void;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState("");
  const [content, setContent] = useState("");
  const [campaignId, setCampaignId] = useState(defaultCampaignId ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!title.trim()) return;
    setBusy(true);
    setError(null);
    try {
      onCreated(
        await createAsset({
          kind: "text",
          title: title.trim(),
          content,
          campaign_id: campaignId || null,
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="New text asset">
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Asset title" htmlFor="new-asset-title">
          <TextInput
            id="new-asset-title"
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="Homepage hero"
          />
        </Field>
        <Field label="Asset campaign" htmlFor="new-asset-campaign">
          <Select id="new-asset-campaign" value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
            <option value="">No campaign</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label="Asset content" htmlFor="new-asset-content">
        <TextArea id="new-asset-content" rows={5} value={content} onChange={(e) => setContent(e.target.value)} />
      </Field>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={busy} disabled={!title.trim()}>
          Create asset
        </Button>
      </div>
    </form>
  );
}
