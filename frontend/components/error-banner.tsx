"use client";

import Link from "./ui/link";
import { useEffect, useState, type ReactNode } from "react";
import { isApiError } from "@/lib/api";
import { focusBefore } from "@/lib/focus-before";

/** Seconds left of a Retry-After, counting down once a second. */
function useCountdown(seconds: number | null): number | null {
  const [startedAt] = useState(() => Date.now());
  const [now, setNow] = useState(startedAt);
  useEffect(() => {
    if (seconds === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [seconds]);
  if (seconds === null) return null;
  return Math.max(0, seconds - Math.floor((now - startedAt) / 1000));
}

function describe(error: unknown): { title: string; body?: string; requestId?: string | null } {
  if (isApiError(error)) {
    switch (error.code) {
      case "insufficient_credits":
        return { title: "Not enough credits", body: error.message, requestId: error.requestId };
      case "provider_error":
        return { title: "The AI provider failed; your credits were refunded", requestId: error.requestId };
      default:
        return { title: error.message, requestId: error.requestId };
    }
  }
  if (error instanceof Error) return { title: error.message };
  return { title: "Something went wrong." };
}

interface ErrorBannerProps {
  error: unknown;
  onDismiss?: () => void;
  action?: ReactNode;
}

/**
 * Shows what an API call answered, in the words of its error envelope, with the
 * special cases a marketer needs to act on (credits, rate limit, provider failure).
 */
export function ErrorBanner(props: ErrorBannerProps) {
  if (props.error === null || props.error === undefined) return null;
  // A new error (a new request id) restarts the Retry-After countdown.
  const key = isApiError(props.error) ? `${props.error.requestId ?? ""}:${props.error.message}` : String(props.error);
  return <ErrorBannerBody key={key} {...props} />;
}

function ErrorBannerBody({ error, onDismiss, action }: ErrorBannerProps) {
  const retryAfter = isApiError(error) && error.code === "rate_limited" ? (error.retryAfter ?? null) : null;
  const secondsLeft = useCountdown(retryAfter);

  const { title, body, requestId } = describe(error);
  const rateLimited = isApiError(error) && error.code === "rate_limited";
  const headline = rateLimited
    ? secondsLeft !== null
      ? secondsLeft > 0
        ? `Too many AI requests, try again in ${secondsLeft} s`
        : "Too many AI requests; you can try again now"
      : error.message
    : title;
  const details = isApiError(error) ? error.details : [];

  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      <div className="flex items-start gap-3">
        <svg viewBox="0 0 20 20" fill="currentColor" className="mt-0.5 size-4 shrink-0 text-red-500" aria-hidden="true">
          <path
            fillRule="evenodd"
            d="M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-8-5a.75.75 0 0 1 .75.75v4.5a.75.75 0 0 1-1.5 0v-4.5A.75.75 0 0 1 10 5Zm0 10a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
            clipRule="evenodd"
          />
        </svg>
        <div className="min-w-0 flex-1 space-y-1">
          <p className="font-medium">{headline}</p>
          {body && body !== headline ? <p>{body}</p> : null}
          {details.length > 0 ? (
            <ul className="list-disc space-y-0.5 pl-5">
              {details.map((issue, i) => (
                <li key={i}>
                  <span className="font-mono text-xs">{issue.loc.filter((part) => part !== "body").join(".")}</span>
                  {": "}
                  {issue.msg}
                </li>
              ))}
            </ul>
          ) : null}
          {isApiError(error) && error.code === "insufficient_credits" ? (
            <p className="flex flex-wrap gap-x-4 gap-y-1">
              <Link
                href="/credits#buy-credits"
                className="font-semibold underline underline-offset-2 hover:text-red-900"
                data-testid="buy-credits-link"
              >
                Buy credits
              </Link>
              <Link href="/credits" className="font-medium underline underline-offset-2 hover:text-red-900">
                See your balance and usage
              </Link>
            </p>
          ) : null}
          {action ? <div className="pt-1">{action}</div> : null}
          {requestId ? <p className="text-xs text-red-800">Request id: {requestId}</p> : null}
        </div>
        {onDismiss ? (
          <button
            type="button"
            onClick={(event) => {
              // The banner goes: focus goes back to where the user was before it.
              const banner = event.currentTarget.closest<HTMLElement>('[role="alert"]');
              onDismiss();
              if (banner) focusBefore(banner);
            }}
            className="-m-1 rounded p-1 text-red-700 hover:bg-red-100 hover:text-red-700"
            aria-label="Dismiss error"
          >
            <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
              <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
            </svg>
          </button>
        ) : null}
      </div>
    </div>
  );
}
