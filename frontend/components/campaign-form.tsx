"use client";

import { standardSchemaResolver } from "@hookform/resolvers/standard-schema";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import * as v from "valibot";
import { createCampaign, editCampaign } from "@/lib/api";
import { placeApiErrors } from "@/lib/api-field-errors";
import type { Campaign, CampaignCreate } from "@/lib/types";
import { ChannelPicker } from "./channel-picker";
import { ErrorBanner } from "./error-banner";
import { Button } from "./ui/button";
import { Field, TextArea, TextInput } from "./ui/form-controls";

/** Optional text: trimmed, at most `max` characters, empty sent as null. */
const optionalText = (max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.maxLength(max, `At most ${max} characters.`),
    v.transform((value) => (value === "" ? null : value)),
  );

/** A date input's value: empty sent as null. */
const optionalDate = v.pipe(
  v.string(),
  v.transform((value) => value || null),
);

/** The fields of POST /api/v1/campaigns (and of an edit's PATCH), checked here as the API checks them. */
const campaignSchema = v.pipe(
  v.object({
    name: v.pipe(
      v.string(),
      v.trim(),
      v.minLength(1, "Give the campaign a name."),
      v.maxLength(200, "At most 200 characters."),
    ),
    objective: optionalText(2000),
    audience: optionalText(2000),
    channels: v.array(v.string()),
    brand_voice: optionalText(2000),
    start_date: optionalDate,
    end_date: optionalDate,
  }),
  // Checked even while another field is in error (a partial check needs only the dates).
  v.forward(
    v.partialCheck(
      [["start_date"], ["end_date"]],
      (c) => !c.start_date || !c.end_date || c.end_date >= c.start_date,
      "The end date must be on or after the start date.",
    ),
    ["end_date"],
  ),
) satisfies v.GenericSchema<unknown, CampaignCreate>;

type CampaignFields = v.InferInput<typeof campaignSchema>;

const API_FIELDS = {
  name: "name",
  objective: "objective",
  audience: "audience",
  channels: "channels",
  brand_voice: "brand_voice",
  start_date: "start_date",
  end_date: "end_date",
} as const;

/**
 * A new campaign, or `campaign`'s details to edit (every field sent: what the form shows is
 * what is saved). `onSaved` gets the campaign as the API answered.
 */
export function CampaignForm({
  campaign,
  onSaved,
  onCancel,
}: {
  campaign?: Campaign;
  onSaved: (campaign: Campaign) => void;
  onCancel?: () => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const {
    register,
    control,
    handleSubmit,
    setError: setFieldError,
    formState: { errors, isSubmitting },
  } = useForm<CampaignFields, unknown, CampaignCreate>({
    resolver: standardSchemaResolver(campaignSchema),
    mode: "onTouched",
    defaultValues: {
      name: campaign?.name ?? "",
      objective: campaign?.objective ?? "",
      audience: campaign?.audience ?? "",
      channels: campaign?.channels ?? [],
      brand_voice: campaign?.brand_voice ?? "",
      start_date: campaign?.start_date ?? "",
      end_date: campaign?.end_date ?? "",
    },
  });
  const [startDate, endDate] = useWatch({ control, name: ["start_date", "end_date"] });

  // An invalid submit focuses the first field in error, which reads its message (aria-describedby).
  const submit = handleSubmit(async (body) => {
    setError(null);
    try {
      onSaved(await (campaign ? editCampaign(campaign.id, body) : createCampaign(body)));
    } catch (err) {
      setError(placeApiErrors(err, setFieldError, API_FIELDS));
    }
  });

  return (
    <form onSubmit={submit} noValidate className="space-y-5" aria-label={campaign ? "Edit campaign" : "New campaign"}>
      <div className="grid gap-5 md:grid-cols-2">
        <Field label="Name" htmlFor="campaign-name" error={errors.name?.message} hint="Up to 200 characters.">
          <TextInput
            id="campaign-name"
            required
            maxLength={200}
            {...register("name")}
            placeholder="Spring launch 2026"
          />
        </Field>
        <Field
          label="Brand voice"
          htmlFor="campaign-brand-voice"
          error={errors.brand_voice?.message}
          hint="How the copy should sound."
        >
          <TextInput
            id="campaign-brand-voice"
            maxLength={2000}
            {...register("brand_voice")}
            placeholder="Warm, confident, no jargon"
          />
        </Field>
        <Field label="Objective" htmlFor="campaign-objective" error={errors.objective?.message}>
          <TextArea
            id="campaign-objective"
            rows={3}
            maxLength={2000}
            {...register("objective")}
            placeholder="Drive trial sign-ups for the new plan"
          />
        </Field>
        <Field label="Audience" htmlFor="campaign-audience" error={errors.audience?.message}>
          <TextArea
            id="campaign-audience"
            rows={3}
            maxLength={2000}
            {...register("audience")}
            placeholder="Marketing leads at 50–500 person SaaS companies"
          />
        </Field>
      </div>

      <fieldset>
        <legend className="mb-2 text-sm font-medium text-zinc-800">Channels</legend>
        <Controller
          control={control}
          name="channels"
          render={({ field }) => <ChannelPicker value={field.value} onChange={field.onChange} />}
        />
        {errors.channels?.message ? (
          <p id="campaign-channels-error" role="alert" className="mt-1 text-xs text-red-700">
            {errors.channels.message}
          </p>
        ) : null}
        <p id="campaign-channels-hint" className="mt-1 text-xs text-zinc-600">
          Arrow keys move between channels; Space ticks one. Generated copy fits each channel’s limits.
        </p>
      </fieldset>

      <div className="grid gap-5 sm:grid-cols-2 md:max-w-md">
        <Field label="Start date" htmlFor="campaign-start-date" error={errors.start_date?.message}>
          <TextInput
            id="campaign-start-date"
            type="date"
            max={endDate || undefined}
            {...register("start_date", { deps: ["end_date"] })}
          />
        </Field>
        <Field label="End date" htmlFor="campaign-end-date" error={errors.end_date?.message}>
          <TextInput id="campaign-end-date" type="date" min={startDate || undefined} {...register("end_date")} />
        </Field>
      </div>

      <ErrorBanner error={error} onDismiss={() => setError(null)} />

      <div className="flex flex-wrap justify-end gap-2">
        {onCancel ? (
          <Button onClick={onCancel} disabled={isSubmitting}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" variant="primary" busy={isSubmitting}>
          {campaign ? "Save changes" : "Create campaign"}
        </Button>
      </div>
    </form>
  );
}
