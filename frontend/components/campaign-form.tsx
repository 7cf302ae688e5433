"use client";

import { useRef, useState, type FormEvent } from "react";
import { createCampaign } from "@/lib/api";
import type { Campaign, CampaignCreate, Channel } from "@/lib/types";
import { ChannelPicker } from "./channel-picker";
import { ErrorBanner } from "./error-banner";
import { Button } from "./ui/button";
import { Field, TextArea, TextInput } from "./ui/form-controls";

function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** The fields of POST /api/v1/campaigns, checked here as the API checks them. */
export function CampaignForm({ onCreated, onCancel }: { onCreated: (campaign: Campaign) => void; onCancel?: () => void }) {
  const [name, setName] = useState("");
  const [objective, setObjective] = useState("");
  const [audience, setAudience] = useState("");
  const [channels, setChannels] = useState<Channel[]>([]);
  const [brandVoice, setBrandVoice] = useState("");
  const [startDate, setStartDate] = useState("");
  const [endDate, setEndDate] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [touched, setTouched] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const nameError = name.trim().length === 0 ? "Give the campaign a name." : null;
  const datesError = startDate && endDate && endDate < startDate ? "The end date must be on or after the start date." : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    if (nameError || datesError) {
      // The first field in error takes focus, and reads its message (aria-describedby).
      formRef.current?.querySelector<HTMLElement>(nameError ? "#campaign-name" : "#campaign-end-date")?.focus();
      return;
    }
    const body: CampaignCreate = {
      name: name.trim(),
      objective: orNull(objective),
      audience: orNull(audience),
      channels,
      brand_voice: orNull(brandVoice),
      start_date: startDate || null,
      end_date: endDate || null,
    };
    setBusy(true);
    setError(null);
    try {
      onCreated(await createCampaign(body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="space-y-5" aria-label="New campaign">
      <div className="grid gap-5 md:grid-cols-2">
        <Field label="Name" htmlFor="campaign-name" error={touched ? nameError : null} hint="Up to 200 characters.">
          <TextInput
            id="campaign-name"
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={touched && !!nameError}
            placeholder="Spring launch 2026"
          />
        </Field>
        <Field label="Brand voice" htmlFor="campaign-brand-voice" hint="How the copy should sound.">
          <TextInput
            id="campaign-brand-voice"
            maxLength={2000}
            value={brandVoice}
            onChange={(e) => setBrandVoice(e.target.value)}
            placeholder="Warm, confident, no jargon"
          />
        </Field>
        <Field label="Objective" htmlFor="campaign-objective">
          <TextArea
            id="campaign-objective"
            rows={3}
            maxLength={2000}
            value={objective}
            onChange={(e) => setObjective(e.target.value)}
            placeholder="Drive trial sign-ups for the new plan"
          />
        </Field>
        <Field label="Audience" htmlFor="campaign-audience">
          <TextArea
            id="campaign-audience"
            rows={3}
            maxLength={2000}
            value={audience}
            onChange={(e) => setAudience(e.target.value)}
            placeholder="Marketing leads at 50–500 person SaaS companies"
          />
        </Field>
      </div>

      <fieldset>
        <legend className="mb-2 text-sm font-medium text-zinc-800">Channels</legend>
        <ChannelPicker value={channels} onChange={setChannels} />
        <p id="campaign-channels-hint" className="mt-1 text-xs text-zinc-600">
          Arrow keys move between channels; Space ticks one. Generated copy fits each channel’s limits.
        </p>
      </fieldset>

      <div className="grid gap-5 sm:grid-cols-2 md:max-w-md">
        <Field label="Start date" htmlFor="campaign-start-date">
          <TextInput
            id="campaign-start-date"
            type="date"
            value={startDate}
            max={endDate || undefined}
            onChange={(e) => setStartDate(e.target.value)}
          />
        </Field>
        <Field label="End date" htmlFor="campaign-end-date" error={datesError}>
          <TextInput
            id="campaign-end-date"
            type="date"
            value={endDate}
            min={startDate || undefined}
            onChange={(e) => setEndDate(e.target.value)}
            aria-invalid={!!datesError}
          />
        </Field>
      </div>

      <ErrorBanner error={error} onDismiss={() => setError(null)} />

      <div className="flex flex-wrap justify-end gap-2">
        {onCancel ? (
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" variant="primary" busy={busy}>
          Create campaign
        </Button>
      </div>
    </form>
  );
}
