"use client";

import { useState, type FormEvent } from "react";
import { createCampaign } from "@/lib/api";
import { channelLabel } from "@/lib/format";
import { CHANNELS, type Campaign, type CampaignCreate, type Channel } from "@/lib/types";
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

  const nameError = name.trim().length === 0 ? "Give the campaign a name." : null;
  const datesError = startDate && endDate && endDate < startDate ? "The end date must be on or after the start date." : null;

  function toggleChannel(channel: Channel, on: boolean) {
    setChannels((current) =>
      on ? CHANNELS.filter((c) => c === channel || current.includes(c)) : current.filter((c) => c !== channel),
    );
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    if (nameError || datesError) return;
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
    <form onSubmit={submit} noValidate className="space-y-5" aria-label="New campaign">
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
        <div className="grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-3 lg:grid-cols-6">
          {CHANNELS.map((channel) => {
            const id = `campaign-channel-${channel}`;
            return (
              <div key={channel} className="flex items-center gap-2">
                <input
                  id={id}
                  type="checkbox"
                  className="size-4 rounded border-zinc-300 accent-indigo-600"
                  checked={channels.includes(channel)}
                  onChange={(e) => toggleChannel(channel, e.target.checked)}
                />
                <label htmlFor={id} className="text-sm text-zinc-700">
                  {channelLabel(channel)}
                </label>
              </div>
            );
          })}
        </div>
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
        <Button type="submit" variant="primary" busy={busy} disabled={!!datesError}>
          Create campaign
        </Button>
      </div>
    </form>
  );
}
