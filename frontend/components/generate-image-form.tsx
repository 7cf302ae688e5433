"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import * as z from "zod/mini";
import { generateImage } from "@/lib/api";
import { placeApiErrors } from "@/lib/api-field-errors";
import { formatCredits } from "@/lib/format";
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
const generateImageSchema = z.pipe(
  z
    .object({
      prompt: z
        .string()
        .check(z.trim(), z.minLength(1, "Say what the picture shows."), z.maxLength(2000, "At most 2,000 characters.")),
      negative_prompt: z.pipe(
        z.string().check(z.trim(), z.maxLength(2000, "At most 2,000 characters.")),
        z.transform((value) => value || null),
      ),
      size: z.enum(["square", "landscape", "portrait", "custom"]),
      width: z.string(),
      height: z.string(),
      seed: imageSeed,
    })
    // Checked even while another field is in error, so each field shows its own problem.
    .check(
      z.superRefine(
        (values, ctx) => {
          if (values.size !== "custom") return;
          for (const side of ["width", "height"] as const) {
            for (const issue of imageSide.safeParse(values[side]).error?.issues ?? []) {
              ctx.addIssue({ code: "custom", message: issue.message, path: [side] });
            }
          }
        },
        { when: () => true },
      ),
    ),
  z.transform(({ prompt, negative_prompt, seed, size, width, height }) => {
    const preset = SIZE_PRESETS.find((p) => p.id === size);
    const side = (typed: string) => imageSide.parse(typed);
    return { prompt, negative_prompt, seed, width: preset?.width ?? side(width), height: preset?.height ?? side(height) };
  }),
);

type ImageFields = z.input<typeof generateImageSchema>;
type ImageValues = z.output<typeof generateImageSchema>;

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
    resolver: zodResolver(generateImageSchema),
    mode: "onTouched",
    defaultValues: { prompt: "", negative_prompt: "", size: "square", width: "1024", height: "1024", seed: "" },
  });
  const [choice, customWidth, customHeight] = useWatch({ control, name: ["size", "width", "height"] });

  const preset = SIZE_PRESETS.find((p) => p.id === choice);
  const typedWidth = imageSide.safeParse(customWidth);
  const typedHeight = imageSide.safeParse(customHeight);
  const sized = preset ?? (typedWidth.success && typedHeight.success ? { width: typedWidth.data, height: typedHeight.data } : null);
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
