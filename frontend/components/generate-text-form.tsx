"use client";

import { standardSchemaResolver } from "@hookform/resolvers/standard-schema";
import Link from "./ui/link";
import { useEffect, useRef, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import * as v from "valibot";
import { generateText } from "@/lib/api";
import { placeApiErrors } from "@/lib/api-field-errors";
import { describeLimit, useChannels } from "@/lib/channels";
import { ASSET_TYPE_LABELS, preview } from "@/lib/format";
import { formatCredits } from "@/lib/numbers";
import type { AssetType, GenerateTextRequest, GenerateTextResult } from "@/lib/types";
import { usePaidCall } from "@/lib/use-paid-call";
import { ErrorBanner } from "./error-banner";
import { useSession } from "./session-provider";
import { Button } from "./ui/button";
import { Field, Select, TextArea, TextInput } from "./ui/form-controls";

const ASSET_TYPES = Object.keys(ASSET_TYPE_LABELS) as AssetType[];

/** 1 to 5, as typed in the number field (digits only, so a whole number). */
const variantsSchema = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\d+$/, "From 1 to 5."),
  v.transform(Number),
  v.minValue(1, "From 1 to 5."),
  v.maxValue(5, "From 1 to 5."),
);

/** POST /ai/generate-text's fields, checked as the API checks them. */
const generateTextSchema = v.object({
  prompt: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, "Write what the copy should say."),
    v.maxLength(4000, "At most 4,000 characters."),
  ),
  channel: v.pipe(
    v.string(),
    v.transform((value) => value || null),
  ),
  asset_type: v.picklist(ASSET_TYPES),
  tone: v.pipe(
    v.string(),
    v.trim(),
    v.maxLength(100, "At most 100 characters."),
    v.transform((value) => value || null),
  ),
  variants: variantsSchema,
});

type GenerateTextFields = v.InferInput<typeof generateTextSchema>;
type GenerateTextValues = v.InferOutput<typeof generateTextSchema>;

const API_FIELDS = {
  prompt: "prompt",
  channel: "channel",
  asset_type: "asset_type",
  tone: "tone",
  variants: "variants",
} as const;

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
  const resultRef = useRef<HTMLDivElement>(null);
  const { channels } = useChannels();
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<GenerateTextResult | null>(null);
  // The result is where the user goes next: focus its heading (a link follows) once it is
  // rendered, after the commit rather than on a timer a slow render could miss.
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);
  const {
    register,
    handleSubmit,
    control,
    setError: setFieldError,
    formState: { errors, isSubmitting },
  } = useForm<GenerateTextFields, unknown, GenerateTextValues>({
    resolver: standardSchemaResolver(generateTextSchema),
    mode: "onTouched",
    defaultValues: { prompt: "", channel: "", asset_type: "headline", tone: "", variants: "1" },
  });
  const [channel, assetType, variants] = useWatch({ control, name: ["channel", "asset_type", "variants"] });

  const variantCount = v.safeParse(variantsSchema, variants);
  const cost = variantCount.success && prices ? variantCount.output * prices.text : null;
  const short = cost !== null && balance !== null && cost > balance;
  const ours = (channels ?? []).filter((c) => campaignChannels.includes(c.id));
  const others = (channels ?? []).filter((c) => !campaignChannels.includes(c.id));
  const chosen = channels?.find((c) => c.id === channel);
  const chosenLimit = chosen?.asset_limits[assetType];
  const channelHint = !chosen
    ? "Optional: the copy is written to the channel’s length limit."
    : chosenLimit
      ? `${describeLimit(chosen, chosenLimit)}.`
      : `No length limit on ${chosen.label} for ${ASSET_TYPE_LABELS[assetType].toLowerCase()}.`;

  // An invalid submit focuses the first field in error, which reads its message.
  async function send(values: GenerateTextValues) {
    setError(null);
    const body: GenerateTextRequest = { ...values, campaign_id: campaignId ?? null };
    try {
      const generated = await pay(body, (key) => generateText(body, key));
      setResult(generated);
      onGenerated?.(generated);
    } catch (err) {
      setError(placeApiErrors(err, setFieldError, API_FIELDS));
    }
  }

  return (
    <div className="space-y-4">
      <form onSubmit={(event) => void handleSubmit(send)(event)} noValidate className="space-y-4" aria-label="Generate copy">
        <Field label="Prompt" htmlFor="generate-prompt" hint="What should the copy say or promote?" error={errors.prompt?.message}>
          <TextArea
            id="generate-prompt"
            rows={4}
            required
            minLength={1}
            maxLength={4000}
            {...register("prompt")}
            placeholder="Announce our spring sale: 20% off all plans until April 30"
          />
        </Field>
        <Field label="Channel" htmlFor="generate-channel" hint={channelHint} error={errors.channel?.message}>
          <Select id="generate-channel" {...register("channel")}>
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
          <Field label="Asset type" htmlFor="generate-asset-type" error={errors.asset_type?.message}>
            <Select id="generate-asset-type" {...register("asset_type")}>
              {ASSET_TYPES.map((type) => (
                <option key={type} value={type}>
                  {ASSET_TYPE_LABELS[type]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Tone" htmlFor="generate-tone" error={errors.tone?.message}>
            <TextInput
              id="generate-tone"
              maxLength={100}
              {...register("tone")}
              placeholder="Playful"
            />
          </Field>
          <Field label="Variants" htmlFor="generate-variants" error={errors.variants?.message}>
            <TextInput
              id="generate-variants"
              type="number"
              inputMode="numeric"
              min={1}
              max={5}
              step={1}
              required
              {...register("variants")}
            />
          </Field>
        </div>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className={`text-sm ${short ? "text-amber-700" : "text-zinc-500"}`} aria-live="polite">
            {!variantCount.success ? (
              "Choose 1 to 5 variants."
            ) : cost !== null ? (
              <>
                Cost: <strong className="font-semibold text-zinc-800">{formatCredits(cost)}</strong>
              </>
            ) : null}
            {short ? " — more than your balance" : null}
          </p>
          <Button type="submit" variant="primary" busy={isSubmitting}>
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
