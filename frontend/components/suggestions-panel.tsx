"use client";

import { useState, type FormEvent } from "react";
import { suggest } from "@/lib/api";
import { formatCredits, SUGGESTION_KIND_LABELS } from "@/lib/format";
import type { SuggestionKind, SuggestionsRequest, SuggestionsResult } from "@/lib/types";
import { usePaidCall } from "@/lib/use-paid-call";
import { CopyButton } from "./copy-button";
import { ErrorBanner } from "./error-banner";
import { useSession } from "./session-provider";
import { Button } from "./ui/button";
import { Field, Select, TextArea, TextInput } from "./ui/form-controls";

const KINDS = Object.keys(SUGGESTION_KIND_LABELS) as SuggestionKind[];

/** POST /ai/suggestions: quick ideas (one price per request) to copy into your work. */
export function SuggestionsPanel({ campaignId }: { campaignId?: string | null }) {
  const { prices } = useSession();
  const pay = usePaidCall();
  const [kind, setKind] = useState<SuggestionKind>("headline");
  const [count, setCount] = useState("5");
  const [context, setContext] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<(SuggestionsResult & { kind: SuggestionKind }) | null>(null);

  const n = Number(count);
  const countValid = Number.isInteger(n) && n >= 1 && n <= 10;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!countValid) return;
    setBusy(true);
    setError(null);
    const body: SuggestionsRequest = { campaign_id: campaignId ?? null, kind, count: n, context: context.trim() || null };
    try {
      const answer = await pay(body, (key) => suggest(body, key));
      setResult({ ...answer, kind });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="space-y-4" aria-label="Suggestions">
        <div className="grid grid-cols-2 gap-4">
          <Field label="Suggestion type" htmlFor="suggest-kind">
            <Select id="suggest-kind" value={kind} onChange={(e) => setKind(e.target.value as SuggestionKind)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {SUGGESTION_KIND_LABELS[k]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Count" htmlFor="suggest-count" error={countValid ? null : "From 1 to 10."}>
            <TextInput
              id="suggest-count"
              type="number"
              inputMode="numeric"
              min={1}
              max={10}
              step={1}
              value={count}
              onChange={(e) => setCount(e.target.value)}
              aria-invalid={!countValid}
            />
          </Field>
        </div>
        <Field label="Context (optional)" htmlFor="suggest-context" hint="Anything the ideas should take into account.">
          <TextArea
            id="suggest-context"
            rows={2}
            maxLength={4000}
            value={context}
            onChange={(e) => setContext(e.target.value)}
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
          <Button type="submit" busy={busy} disabled={!countValid}>
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
