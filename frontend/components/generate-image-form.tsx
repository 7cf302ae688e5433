"use client";

import { standardSchemaResolver } from "@hookform/resolvers/standard-schema";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import * as v from "valibot";
import { generateImage } from "@/lib/api";
import { placeApiErrors } from "@/lib/api-field-errors";
import { formatCredits } from "@/lib/numbers";
import { imageSeed, imageSide, randomSeed, SIZE_PRESETS } from "@/lib/image-sizes";
import type { GenerateImageRequest, ImageJobAccepted } from "@/lib/types";
import { useKeptFocus } from "@/lib/use-kept-focus";
import { usePaidCall } from "@/lib/use-paid-call";
import { describedBy, Field, TextArea, TextInput } from "./ui/form-controls";
import { ErrorBanner } from "./error-banner";
import { ImageSizePicker, type SizeChoice } from "./image-size-picker";
import { useSession } from "./session-provider";
import { Button } from "./ui/button";

type ImageAsked = GenerateImageRequest & { width: number; height: number };

/**
 * POST /ai/generate-image's fields, checked as the API checks them: a preset's size, or custom
 * sides (512..1536, multiples of 64) checked only when chosen.
 */
/** A custom side's first problem, as its field shows it. */
function sideProblem(typed: string): string {
  return v.safeParse(imageSide, typed).issues?.[0].message ?? "";
}

const generateImageSchema = v.pipe(
  v.object({
    prompt: v.pipe(
      v.string(),
      v.trim(),
      v.minLength(1, "Say what the picture shows."),
      v.maxLength(2000, "At most 2,000 characters."),
    ),
    negative_prompt: v.pipe(
      v.string(),
      v.trim(),
      v.maxLength(2000, "At most 2,000 characters."),
      v.transform((value) => value || null),
    ),
    size: v.picklist(["square", "landscape", "portrait", "custom"]),
    width: v.string(),
    height: v.string(),
    seed: imageSeed,
  }),
  // Checked even while another field is in error (a partial check needs only the size and
  // that side), so each field shows its own problem.
  v.forward(
    v.partialCheck(
      [["size"], ["width"]],
      (values) => values.size !== "custom" || v.is(imageSide, values.width),
      (issue) => sideProblem(issue.input.width),
    ),
    ["width"],
  ),
  v.forward(
    v.partialCheck(
      [["size"], ["height"]],
      (values) => values.size !== "custom" || v.is(imageSide, values.height),
      (issue) => sideProblem(issue.input.height),
    ),
    ["height"],
  ),
  v.transform(({ prompt, negative_prompt, seed, size, width, height }) => {
    const preset = SIZE_PRESETS.find((p) => p.id === size);
    const side = (typed: string) => v.parse(imageSide, typed);
    return { prompt, negative_prompt, seed, width: preset?.width ?? side(width), height: preset?.height ?? side(height) };
  }),
);

type ImageFields = v.InferInput<typeof generateImageSchema>;
type ImageValues = v.InferOutput<typeof generateImageSchema>;

const API_FIELDS = {
  prompt: "prompt",
  negative_prompt: "negative_prompt",
  width: "width",
  height: "height",
  seed: "seed",
} as const;

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
  onStarted: (accepted: ImageJobAccepted, asked: ImageAsked) => void;
}) {
  const { balance, prices } = useSession();
  const pay = usePaidCall();
  const holdFocus = useKeptFocus();
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const {
    register,
    handleSubmit,
    control,
    setValue,
    setError: setFieldError,
    formState: { errors, isSubmitting },
  } = useForm<ImageFields, unknown, ImageValues>({
    resolver: standardSchemaResolver(generateImageSchema),
    mode: "onTouched",
    defaultValues: { prompt: "", negative_prompt: "", size: "square", width: "1024", height: "1024", seed: "" },
  });
  const [choice, customWidth, customHeight] = useWatch({ control, name: ["size", "width", "height"] });

  const preset = SIZE_PRESETS.find((p) => p.id === choice);
  const typedWidth = v.safeParse(imageSide, customWidth);
  const typedHeight = v.safeParse(imageSide, customHeight);
  const sized = preset ?? (typedWidth.success && typedHeight.success ? { width: typedWidth.output, height: typedHeight.output } : null);
  const cost = prices?.image ?? null;
  const short = cost !== null && balance !== null && cost > balance;
  const seedProblem = errors.seed?.message;

  const submit = handleSubmit(async (values) => {
    const restoreFocus = holdFocus();
    setError(null);
    setNotice("");
    const body: ImageAsked = { ...values, campaign_id: campaignId };
    try {
      const accepted = await pay(body, (key) => generateImage(body, key));
      onStarted(accepted, body);
      setNotice(`Started (${formatCredits(accepted.credits_charged)}): it appears under Images when it is painted.`);
    } catch (err) {
      setError(placeApiErrors(err, setFieldError, API_FIELDS));
    } finally {
      restoreFocus();
    }
  });

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Generate an image">
      <Field label="Image prompt" htmlFor="image-prompt" hint="What the picture shows: subject, setting, light, style."
        error={errors.prompt?.message}
      >
        <TextArea
          id="image-prompt"
          rows={3}
          required
          maxLength={2000}
          {...register("prompt")}
          placeholder="A linen shirt on a sunlit balcony in Lisbon, soft morning light, editorial photo"
        />
      </Field>
      <Field label="Negative prompt" htmlFor="image-negative-prompt" hint="Optional: what to keep out."
        error={errors.negative_prompt?.message}
      >
        <TextInput
          id="image-negative-prompt"
          maxLength={2000}
          {...register("negative_prompt")}
          placeholder="text, watermark, blurry"
        />
      </Field>
      <ImageSizePicker
        choice={choice as SizeChoice}
        choiceField={register("size", { deps: ["width", "height"] })}
        widthField={register("width")}
        heightField={register("height")}
        widthError={errors.width?.message}
        heightError={errors.height?.message}
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
            {...register("seed")}
            placeholder="Random"
            aria-invalid={!!seedProblem}
            aria-describedby={describedBy("image-seed", { hint: true, error: !!seedProblem })}
          />
          <Button onClick={() => setValue("seed", String(randomSeed()), { shouldValidate: true })} title="Fill in a random seed you can reuse">
            Pick one
          </Button>
        </div>
      </Field>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className={`text-sm ${short ? "text-amber-700" : "text-zinc-500"}`} aria-live="polite">
          {cost !== null ? (
            <>
              Cost: <strong className="font-semibold text-zinc-800">{formatCredits(cost)}</strong>
              {sized ? (
                <span className="tabular-nums">
                  {" "}
                  for {sized.width} × {sized.height}
                </span>
              ) : null}
            </>
          ) : null}
          {short ? " — more than your balance" : null}
        </p>
        <Button type="submit" variant="primary" busy={isSubmitting}>
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
