"use client";

import Link from "next/link";
import { useRef, useState, type FormEvent } from "react";
import { generateText } from "@/lib/api";
import { describeLimit, useChannels } from "@/lib/channels";
import { ASSET_TYPE_LABELS, formatCredits, preview } from "@/lib/format";
import type { AssetType, GenerateTextRequest, GenerateTextResult } from "@/lib/types";
import { usePaidCall } from "@/lib/use-paid-call";
import { ErrorBanner } from "./error-banner";
import { useSession } from "./session-provider";
import { Button } from "./ui/button";
import { Field, Select, TextArea, TextInput } from "./ui/form-controls";

const ASSET_TYPES = Object.keys(ASSET_TYPE_LABELS) as AssetType[];

/** POST /ai/generate-text for one campaign: `variants` new text assets, priced per variant. */
export function GenerateTextForm({
  campaignId,
  campaignChannels = [],
  onGenerated,
}: {
  campaignId?: string | null;
  /** Offered first in the channel choice. */
  campaignChannels?: string[];
  onGenerated?: (result: GenerateTextResult) => void;
}) {
  const { balance, prices } = useSession();
  const pay = usePaidCall();
  const [prompt, setPrompt] = useState("");
  const [assetType, setAssetType] = useState<AssetType>("headline");
  const [tone, setTone] = useState("");
  const [variants, setVariants] = useState("1");
  const [channel, setChannel] = useState("");
  const [touched, setTouched] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const { channels } = useChannels();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<GenerateTextResult | null>(null);

  const variantCount = Number(variants);
  const variantsValid = Number.isInteger(variantCount) && variantCount >= 1 && variantCount <= 5;
  const cost = variantsValid && prices ? variantCount * prices.text : null;
  const short = cost !== null && balance !== null && cost > balance;
  const promptError = touched && !prompt.trim() ? "Write what the copy should say." : null;
  const ours = (channels ?? []).filter((c) => campaignChannels.includes(c.id));
  const others = (channels ?? []).filter((c) => !campaignChannels.includes(c.id));
  const chosen = channels?.find((c) => c.id === channel);
  const chosenLimit = chosen?.asset_limits[assetType];
  const channelHint = !chosen
    ? "Optional: the copy is written to the channel’s length limit."
    : chosenLimit
      ? `${describeLimit(chosen, chosenLimit)}.`
      : `No length limit for ${ASSET_TYPE_LABELS[assetType].toLowerCase()} copy on ${chosen.label}.`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    if (!prompt.trim() || !variantsValid) {
      // The first field in error takes focus and reads its message.
      formRef.current?.querySelector<HTMLElement>(!prompt.trim() ? "#generate-prompt" : "#generate-variants")?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const body: GenerateTextRequest = {
      prompt: prompt.trim(),
      asset_type: assetType,
      campaign_id: campaignId ?? null,
      tone: tone.trim() || null,
      variants: variantCount,
      channel: channel || null,
    };
    try {
      const generated = await pay(body, (key) => generateText(body, key));
      setResult(generated);
      onGenerated?.(generated);
      // The result is where the user goes next: focus its heading (a link follows).
      window.requestAnimationFrame(() => resultRef.current?.focus());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-4">
      <form ref={formRef} onSubmit={submit} noValidate className="space-y-4" aria-label="Generate copy">
        <Field label="Prompt" htmlFor="generate-prompt" hint="What should the copy say or promote?" error={promptError}>
          <TextArea
            id="generate-prompt"
            rows={4}
            required
            minLength={1}
            maxLength={4000}
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            placeholder="Announce our spring sale: 20% off all plans until April 30"
          />
        </Field>
        <Field label="Channel" htmlFor="generate-channel" hint={channelHint}>
          <Select id="generate-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">No channel</option>
            {ours.length > 0 ? (
              <optgroup label="This campaign’s channels">
                {ours.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {others.length > 0 ? (
              <optgroup label={ours.length > 0 ? "Other channels" : "Channels"}>
                {others.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </Select>
        </Field>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label="Asset type" htmlFor="generate-asset-type">
            <Select id="generate-asset-type" value={assetType} onChange={(e) => setAssetType(e.target.value as AssetType)}>
              {ASSET_TYPES.map((type) => (
                <option key={type} value={type}>
                  {ASSET_TYPE_LABELS[type]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Tone" htmlFor="generate-tone">
            <TextInput
              id="generate-tone"
              maxLength={100}
              value={tone}
              onChange={(e) => setTone(e.target.value)}
              placeholder="Playful"
            />
          </Field>
          <Field label="Variants" htmlFor="generate-variants" error={variantsValid ? null : "From 1 to 5."}>
            <TextInput
              id="generate-variants"
              type="number"
              inputMode="numeric"
              min={1}
              max={5}
              step={1}
              required
              value={variants}
              onChange={(e) => setVariants(e.target.value)}
              aria-invalid={!variantsValid}
            />
          </Field>
        </div>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className={`text-sm ${short ? "text-amber-700" : "text-zinc-500"}`} aria-live="polite">
            {!variantsValid ? (
              "Choose 1 to 5 variants."
            ) : cost !== null ? (
              <>
                Cost: <strong className="font-semibold text-zinc-800">{formatCredits(cost)}</strong>
              </>
            ) : null}
            {short ? " — more than your balance" : null}
          </p>
          <Button type="submit" variant="primary" busy={busy}>
            Generate
          </Button>
        </div>
        <ErrorBanner error={error} onDismiss={() => setError(null)} />
      </form>

      {result ? (
        <div
          ref={resultRef}
          tabIndex={-1}
          className="rounded-md border border-emerald-200 bg-emerald-50/60 p-4 outline-none focus-visible:ring-2 focus-visible:ring-indigo-600"
          role="region"
          aria-live="polite"
          aria-label="Generated copy"
        >
          <p className="text-sm font-medium text-emerald-900">
            Generated {result.assets.length} {result.assets.length === 1 ? "asset" : "assets"} ·{" "}
            {formatCredits(result.credits_charged)} charged
            {result.provider === "mock" ? <span className="font-normal text-emerald-800"> (offline writer)</span> : null}
            {result.limit !== null ? (
              <span className="font-normal text-emerald-800"> · each within {result.limit} characters</span>
            ) : null}
          </p>
          <ul className="mt-2 space-y-2" aria-label="Generated assets">
            {result.assets.map((asset) => (
              <li key={asset.id} className="rounded-md bg-white p-3 text-sm ring-1 ring-emerald-100">
                <Link href={`/assets/${asset.id}`} className="font-medium text-zinc-900 hover:text-indigo-700">
                  {asset.title}
                </Link>
                <p className="mt-0.5 text-zinc-600">{preview(asset.content, 200)}</p>
                {typeof asset.metadata.length === "number" && typeof asset.metadata.limit === "number" ? (
                  <p className="mt-0.5 text-xs text-zinc-600" data-testid="generated-length">
                    {asset.metadata.length} / {asset.metadata.limit} characters
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
