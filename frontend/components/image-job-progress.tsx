"use client";

import { useEffect, useState } from "react";
import { formatDuration } from "@/lib/format";
import type { Job } from "@/lib/types";
import { useHydrated } from "@/lib/use-writing";
import { imageFailureText } from "./image-job-failure";
import { Spinner } from "./ui/spinner";

/** Where an image job stands, as the page knows it. */
export type ImageJobState = "pending" | "done" | "failed";

type Step = "queued" | "generating" | "done";

const STEPS: { step: Step; label: string }[] = [
  { step: "queued", label: "Queued" },
  { step: "generating", label: "Generating" },
  { step: "done", label: "Done" },
];

/**
 * Milliseconds since `since`, read again every second while `running`; null in the server's
 * render and the hydrating one (whose clocks differ: their texts would not match).
 */
function useElapsed(since: string, running: boolean): number | null {
  const hydrated = useHydrated();
  const start = Date.parse(since);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running]);
  if (!hydrated) return null;
  return Number.isNaN(start) ? 0 : Math.max(0, now - start);
}

/** How long a finished job took ("14 s"); null when its times are not known. */
export function jobDuration(job: Job | null): string | null {
  if (!job?.finished_at) return null;
  const ms = Date.parse(job.finished_at) - Date.parse(job.created_at);
  return Number.isNaN(ms) ? null : formatDuration(ms);
}

function message(state: ImageJobState, step: Step, job: Job | null, credits: number | null): string {
  if (state === "failed") return imageFailureText(job, credits);
  if (state === "done") {
    const took = jobDuration(job);
    return took ? `Done in ${took}.` : "Done.";
  }
  return step === "queued" ? "Queued: waiting for a GPU…" : step === "generating" ? "Generating the image…" : "Finishing…";
}

/**
 * An image job's progress: the steps (queued → generating → done), the phase in words in a live
 * region that stays mounted from start to end (so each change is announced, failure and refund
 * included), and while it runs the time since it started (shown, not announced every second).
 * With no job read yet, or none to read, a pending job counts as generating since `since`.
 */
export function ImageJobProgress({
  job,
  state,
  since,
  credits = null,
}: {
  job: Job | null;
  state: ImageJobState;
  since: string;
  /** What the job cost: said as refunded when it failed. */
  credits?: number | null;
}) {
  const step: Step =
    state !== "pending" ? "done" : job?.status === "queued" ? "queued" : job && job.status !== "running" ? "done" : "generating";
  const current = STEPS.findIndex((s) => s.step === step);
  const elapsed = useElapsed(job?.created_at ?? since, state === "pending");
  const queued = job?.progress.queue_ms ?? null;

  return (
    <div className="space-y-1.5">
      <ol className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs font-medium" aria-label="Progress">
        {STEPS.map((s, i) => {
          const failedHere = state === "failed" && s.step === "done";
          const complete = i < current || (state === "done" && i === current);
          return (
            <li
              key={s.step}
              aria-current={i === current && state === "pending" ? "step" : undefined}
              className={`flex items-center gap-1.5 ${
                failedHere ? "text-red-700" : complete ? "text-emerald-700" : i === current ? "text-indigo-700" : "text-zinc-500"
              }`}
            >
              <span
                aria-hidden="true"
                className={`size-2 rounded-full ${
                  failedHere
                    ? "bg-red-500"
                    : complete
                      ? "bg-emerald-500"
                      : i === current
                        ? "animate-pulse bg-indigo-500"
                        : "bg-zinc-300"
                }`}
              />
              {failedHere ? "Failed" : s.label}
              {i < STEPS.length - 1 ? <span aria-hidden="true" className="ml-0.5 h-px w-4 bg-zinc-300" /> : null}
            </li>
          );
        })}
      </ol>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5 text-sm">
        {state === "pending" ? <Spinner className="size-4 text-indigo-600" /> : null}
        <p
          role="status"
          className={state === "failed" ? "text-red-700" : state === "done" ? "text-emerald-800" : "text-zinc-700"}
        >
          {message(state, step, job, credits)}
        </p>
        {state === "pending" && elapsed !== null ? (
          <p className="text-zinc-500 tabular-nums">
            {formatDuration(elapsed)} elapsed
            {step === "generating" && queued !== null ? ` · ${formatDuration(queued)} in the queue` : ""}
          </p>
        ) : null}
      </div>
    </div>
  );
}
