"use client";

import { useState, type FormEvent } from "react";
import { generateImage } from "@/lib/api";
import { formatCredits } from "@/lib/format";
import { imageSideError, randomSeed, seedError, SIZE_PRESETS } from "@/lib/image-sizes";
import type { GenerateImageRequest, ImageJobAccepted } from "@/lib/types";
import { useKeptFocus } from "@/lib/use-kept-focus";
import { usePaidCall } from "@/lib/use-paid-call";
import { ErrorBanner } from "./error-banner";
import { ImageSizePicker, type SizeChoice } from "./image-size-picker";
import { useSession } from "./session-provider";
import { Button } from "./ui/button";
import { Field, TextArea, TextInput } from "./ui/form-controls";

/**
 * POST /ai/generate-image: prompt, negative prompt, size (a channel's preset or custom) and seed,
 * with the price shown before anything is spent. The answer is a job in flight: `onStarted`
 * hands it (and what was asked) to whoever follows it.
 */
export function GenerateImageForm({
  campaignId,
  onStarted,
}: {
  campaignId: string | null;
  onStarted: (accepted: ImageJobAccepted, asked: GenerateImageRequest & { width: number; height: number }) => void;
}) {
  const { balance, prices } = useSession();
  const pay = usePaidCall();
  const holdFocus = useKeptFocus();
  const [prompt, setPrompt] = useState("");
  const [negative, setNegative] = useState("");
  const [choice, setChoice] = useState<SizeChoice>("square");
  const [customWidth, setCustomWidth] = useState("1024");
  const [customHeight, setCustomHeight] = useState("1024");
  const [seed, setSeed] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");

  const preset = SIZE_PRESETS.find((p) => p.id === choice);
  const widthError = preset ? null : imageSideError(customWidth);
  const heightError = preset ? null : imageSideError(customHeight);
  const seedProblem = seedError(seed);
  const width = preset ? preset.width : Number(customWidth);
  const height = preset ? preset.height : Number(customHeight);
  const valid = prompt.trim() !== "" && !widthError && !heightError && !seedProblem;
  const cost = prices?.image ?? null;
  const short = cost !== null && balance !== null && cost > balance;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!valid || busy) return;
    const restoreFocus = holdFocus();
    setBusy(true);
    setError(null);
    setNotice("");
    const body: GenerateImageRequest & { width: number; height: number } = {
      prompt: prompt.trim(),
      negative_prompt: negative.trim() || null,
      campaign_id: campaignId,
      width,
      height,
      seed: seed.trim() === "" ? null : Number(seed),
    };
    try {
      const accepted = await pay(body, (key) => generateImage(body, key));
      onStarted(accepted, body);
      setNotice(`Started (${formatCredits(accepted.credits_charged)}): it appears under Images when it is painted.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      restoreFocus();
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Generate an image">
      <Field label="Image prompt" htmlFor="image-prompt" hint="What the picture shows: subject, setting, light, style.">
        <TextArea
          id="image-prompt"
          rows={3}
          required
          maxLength={2000}
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          placeholder="A linen shirt on a sunlit balcony in Lisbon, soft morning light, editorial photo"
        />
      </Field>
      <Field label="Negative prompt" htmlFor="image-negative-prompt" hint="Optional: what to keep out.">
        <TextInput
          id="image-negative-prompt"
          maxLength={2000}
          value={negative}
          onChange={(e) => setNegative(e.target.value)}
          placeholder="text, watermark, blurry"
        />
      </Field>
      <ImageSizePicker
        choice={choice}
        onChoice={setChoice}
        width={customWidth}
        height={customHeight}
        onWidth={setCustomWidth}
        onHeight={setCustomHeight}
        widthError={widthError}
        heightError={heightError}
      />
      <Field
        label="Seed"
        htmlFor="image-seed"
        error={seedProblem}
        hint="Optional: the same seed and prompt paint alike. Empty picks one at random."
      >
        <div className="flex gap-2 sm:max-w-sm">
          <TextInput
            id="image-seed"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
            placeholder="Random"
            aria-invalid={seedProblem !== null}
            aria-describedby={seedProblem ? "image-seed-error" : "image-seed-hint"}
          />
          <Button onClick={() => setSeed(String(randomSeed()))} title="Fill in a random seed you can reuse">
            Pick one
          </Button>
        </div>
      </Field>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className={`text-sm ${short ? "text-amber-700" : "text-zinc-500"}`} aria-live="polite">
          {cost !== null ? (
            <>
              Cost: <strong className="font-semibold text-zinc-800">{formatCredits(cost)}</strong>
              {preset || (!widthError && !heightError) ? (
                <span className="tabular-nums">
                  {" "}
                  for {width} × {height}
                </span>
              ) : null}
            </>
          ) : null}
          {short ? " — more than your balance" : null}
        </p>
        <Button type="submit" variant="primary" busy={busy} disabled={!valid}>
          Generate image
        </Button>
      </div>
      <p role="status" className="text-sm text-emerald-700 empty:hidden">
        {notice}
      </p>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
    </form>
  );
}
