"use client";

import { standardSchemaResolver } from "@hookform/resolvers/standard-schema";
import { useState } from "react";
import { useForm } from "react-hook-form";
import * as v from "valibot";
import { createAsset } from "@/lib/api";
import { placeApiErrors } from "@/lib/api-field-errors";
import type { Asset, AssetCreate, Campaign } from "@/lib/types";
import { ErrorBanner } from "./error-banner";
import { Button } from "./ui/button";
import { Field, Select, TextArea, TextInput } from "./ui/form-controls";

/** POST /api/v1/assets for a text asset, checked as the API checks it. */
const assetSchema = v.object({
  title: v.pipe(v.string(), v.trim(), v.minLength(1, "Give the asset a title."), v.maxLength(200, "At most 200 characters.")),
  content: v.pipe(v.string(), v.maxLength(100_000, "At most 100,000 characters.")),
  campaign_id: v.pipe(
    v.string(),
    v.transform((value) => value || null),
  ),
});

type AssetFields = v.InferInput<typeof assetSchema>;
type AssetValues = v.InferOutput<typeof assetSchema>;

const API_FIELDS = { title: "title", content: "content", campaign_id: "campaign_id" } as const;

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
  const [error, setError] = useState<unknown>(null);
  const {
    register,
    handleSubmit,
    setError: setFieldError,
    formState: { errors, isSubmitting },
  } = useForm<AssetFields, unknown, AssetValues>({
    resolver: standardSchemaResolver(assetSchema),
    mode: "onTouched",
    defaultValues: { title: "", content: "", campaign_id: defaultCampaignId ?? "" },
  });

  const submit = handleSubmit(async (values) => {
    setError(null);
    const body: AssetCreate = { kind: "text", ...values };
    try {
      onCreated(await createAsset(body));
    } catch (err) {
      setError(placeApiErrors(err, setFieldError, API_FIELDS));
    }
  });

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="New text asset">
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Asset title" htmlFor="new-asset-title" error={errors.title?.message}>
          <TextInput
            id="new-asset-title"
            required
            maxLength={200}
            {...register("title")}
            placeholder="Homepage hero"
          />
        </Field>
        <Field label="Asset campaign" htmlFor="new-asset-campaign" error={errors.campaign_id?.message}>
          <Select id="new-asset-campaign" {...register("campaign_id")}>
            <option value="">No campaign</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label="Asset content" htmlFor="new-asset-content" error={errors.content?.message}>
        <TextArea id="new-asset-content" rows={5} {...register("content")} />
      </Field>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel} disabled={isSubmitting}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={isSubmitting}>
          Create asset
        </Button>
      </div>
    </form>
  );
}
