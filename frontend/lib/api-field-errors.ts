import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiError, isApiError } from "./api";

/** A pydantic message as a sentence: "Value error, x" → "X." */
function sentence(msg: string): string {
  const text = msg.replace(/^Value error, /, "").trim();
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * Puts a 422's `details` beside the fields they name: an issue whose `loc` is
 * `["body", <api field>, ...]`, with that API field in `fields` (API name → form field), becomes
 * that field's error (`setError`; the first one takes focus). Returns what the form-level
 * ErrorBanner should show: null when every issue found its field, otherwise the error itself
 * (any other error as it came; a 422 with the unplaced issues' messages appended).
 */
export function placeApiErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: Partial<Record<string, Path<T>>>,
): unknown {
  if (!isApiError(error) || error.status !== 422 || error.details.length === 0) return error;
  const unplaced: string[] = [];
  let focused = false;
  for (const issue of error.details) {
    const [where, name] = issue.loc;
    const field = where === "body" && typeof name === "string" ? fields[name] : undefined;
    if (field === undefined) {
      unplaced.push(sentence(issue.msg));
      continue;
    }
    setError(field, { type: "server", message: sentence(issue.msg) }, { shouldFocus: !focused });
    focused = true;
  }
  if (unplaced.length === 0) return null;
  return new ApiError({
    code: error.code,
    status: error.status,
    message: `${error.message.replace(/\.$/, ":")} ${unplaced.join(" ")}`,
    requestId: error.requestId,
    details: error.details,
  });
}
