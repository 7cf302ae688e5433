"use client";

import { standardSchemaResolver } from "@hookform/resolvers/standard-schema";
import { useState } from "react";
import { useForm } from "react-hook-form";
import * as v from "valibot";
import { suggest } from "@/lib/api";
import { placeApiErrors } from "@/lib/api-field-errors";
import { SUGGESTION_KIND_LABELS } from "@/lib/format";
import { formatCredits } from "@/lib/numbers";
import type { SuggestionKind, SuggestionsRequest, SuggestionsResult } from "@/lib/types";
import { usePaidCall } from "@/lib/use-paid-call";
import { CopyButton } from "./copy-button";
import { ErrorBanner } from "./error-banner";
import { useSession } from "./session-provider";
import { Button } from "./ui/button";
import { Field, Select, TextArea, TextInput } from "./ui/form-controls";

const KINDS = Object.keys(SUGGESTION_KIND_LABELS) as SuggestionKind[];

/** POST /ai/suggestions' fields, checked as the API checks them. */
const suggestionsSchema = v.object({
  kind: v.picklist(KINDS),
  // Digits only, so a whole number.
  count: v.pipe(
    v.string(),
    v.trim(),
    v.regex(/^\d+$/, "From 1 to 10."),
    v.transform(Number),
    v.minValue(1, "From 1 to 10."),
    v.maxValue(10, "From 1 to 10."),
  ),
  context: v.pipe(
    v.string(),
    v.trim(),
    v.maxLength(4000, "At most 4,000 characters."),
    v.transform((value) => value || null),
  ),
});

type SuggestionsFields = v.InferInput<typeof suggestionsSchema>;
type SuggestionsValues = v.InferOutput<typeof suggestionsSchema>;

const API_FIELDS = { kind: "kind", count: "count", context: "context" } as const;

/** POST /ai/suggestions: quick ideas (one price per request) to copy into your work. */
export function SuggestionsPanel({ campaignId }: { campaignId?: string | null }) {
  const { prices } = useSession();
  const pay = usePaidCall();
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<(SuggestionsResult & { kind: SuggestionKind }) | null>(null);
  const {
    register,
    handleSubmit,
    setError: setFieldError,
    formState: { errors, isSubmitting },
  } = useForm<SuggestionsFields, unknown, SuggestionsValues>({
    resolver: standardSchemaResolver(suggestionsSchema),
    mode: "onTouched",
    defaultValues: { kind: "headline", count: "5", context: "" },
  });

  const submit = handleSubmit(async (values) => {
    setError(null);
    const body: SuggestionsRequest = { ...values, campaign_id: campaignId ?? null };
    try {
      const answer = await pay(body, (key) => suggest(body, key));
      setResult({ ...answer, kind: values.kind });
    } catch (err) {
      setError(placeApiErrors(err, setFieldError, API_FIELDS));
    }
  });

  return (
    <div className="space-y-4">
      <form onSubmit={submit} noValidate className="space-y-4" aria-label="Suggestions">
        <div className="grid grid-cols-2 gap-4">
          <Field label="Suggestion type" htmlFor="suggest-kind" error={errors.kind?.message}>
            <Select id="suggest-kind" {...register("kind")}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {SUGGESTION_KIND_LABELS[k]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Count" htmlFor="suggest-count" error={errors.count?.message}>
            <TextInput
              id="suggest-count"
              type="number"
              inputMode="numeric"
              min={1}
              max={10}
              step={1}
              {...register("count")}
            />
          </Field>
        </div>
        <Field label="Context (optional)" htmlFor="suggest-context" hint="Anything the ideas should take into account."
          error={errors.context?.message}
        >
          <TextArea
            id="suggest-context"
            rows={2}
            maxLength={4000}
            {...register("context")}
            placeholder="Launch week, focus on the free trial"
          />
        </Field>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-zinc-500">
            {prices ? (
              <>
                Cost: <strong className="font-semibold text-zinc-800">{formatCredits(prices.suggestions)}</strong>
              </>
            ) : null}
          </p>
          <Button type="submit" busy={isSubmitting}>
            Get suggestions
          </Button>
        </div>
        <ErrorBanner error={error} onDismiss={() => setError(null)} />
      </form>

      {result ? (
        <div aria-live="polite">
          <div className="mb-2 flex items-center justify-between gap-2">
            <h3 className="text-sm font-medium text-zinc-900">{SUGGESTION_KIND_LABELS[result.kind]}</h3>
            {result.suggestions.length > 1 ? <CopyButton text={result.suggestions.join("\n")} label="Copy all" /> : null}
          </div>
          {result.suggestions.length === 0 ? (
            <p className="text-sm text-zinc-500">No suggestions came back.</p>
          ) : (
            <ol className="divide-y divide-zinc-100 rounded-md ring-1 ring-zinc-200" aria-label="Suggestion results">
              {result.suggestions.map((text, i) => (
                <li key={i} className="flex items-start justify-between gap-3 px-3 py-2 text-sm">
                  <span className="pt-1 text-zinc-800">{text}</span>
                  <CopyButton text={text} describedAs={text} />
                </li>
              ))}
            </ol>
          )}
        </div>
      ) : null}
    </div>
  );
}
