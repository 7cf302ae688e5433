"use client";

import { standardSchemaResolver } from "@hookform/resolvers/standard-schema";
import { useForm } from "react-hook-form";
import * as v from "valibot";
import { formatCredits } from "@/lib/numbers";
import type { Asset } from "@/lib/types";
import { useSession } from "./session-provider";
import { Button } from "./ui/button";
import { describedBy, Field, TextInput } from "./ui/form-controls";

/** POST /ai/refine's instruction, checked as the API checks it. */
const refineSchema = v.object({
  instruction: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, "Say how to change it."),
    v.maxLength(2000, "At most 2,000 characters."),
  ),
});

type RefineFields = v.InferOutput<typeof refineSchema>;

/** Refine (text only) and Regenerate: each a new version, at the API's prices. */
export function AiRewritePanel({
  asset,
  busy,
  disabled,
  onRefine,
  onRegenerate,
}: {
  asset: Asset;
  busy: "refine" | "regenerate" | null;
  disabled: boolean;
  /** Resolves true when the refined version arrived. */
  onRefine: (instruction: string) => Promise<boolean>;
  onRegenerate: () => void;
}) {
  const { prices } = useSession();
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors },
  } = useForm<RefineFields>({
    resolver: standardSchemaResolver(refineSchema),
    mode: "onTouched",
    defaultValues: { instruction: "" },
  });
  const canRefine = asset.kind === "text";
  const pending = asset.status === "pending";
  const regenerating = busy === "regenerate" || (pending && asset.kind === "image");
  const refineCost = prices ? ` ${formatCredits(prices.refine)}.` : "";
  const regenerateCost = prices ? formatCredits(asset.kind === "image" ? prices.image : prices.regenerate) : null;

  // The API's answer (a refusal too) shows in the workspace's banner.
  const refine = handleSubmit(async ({ instruction }) => {
    if (await onRefine(instruction)) reset();
  });

  return (
    <div className="space-y-5">
      {canRefine ? (
        <form onSubmit={refine} noValidate aria-label="Refine with AI" className="space-y-2">
          <Field
            label="Refine instruction"
            htmlFor="refine-instruction"
            hint={`Say how to change the current version, e.g. “Make it shorter and more urgent”.${refineCost}`}
            error={errors.instruction?.message}
          >
            <div className="flex flex-col gap-2 sm:flex-row">
              <TextInput
                id="refine-instruction"
                maxLength={2000}
                {...register("instruction")}
                placeholder="Make it shorter and more urgent"
                aria-invalid={!!errors.instruction}
                aria-describedby={describedBy("refine-instruction", { hint: true, error: !!errors.instruction })}
              />
              <Button
                type="submit"
                variant="primary"
                busy={busy === "refine"}
                disabled={disabled || pending}
              >
                Refine
              </Button>
            </div>
          </Field>
        </form>
      ) : null}
      <div
        className={`flex flex-wrap items-center justify-between gap-3 ${canRefine ? "border-t border-zinc-100 pt-4" : ""}`}
      >
        <p className="text-sm text-zinc-600">
          {asset.kind === "image"
            ? "Paint a fresh image from the same prompt."
            : "Write a fresh take from the original brief."}
          {regenerateCost ? <span className="text-zinc-500"> {regenerateCost}.</span> : null}
        </p>
        {/* Busy (so still focused) from the click until a new image is painted. */}
        <Button onClick={onRegenerate} busy={regenerating} disabled={disabled || pending}>
          Regenerate
        </Button>
      </div>
    </div>
  );
}
