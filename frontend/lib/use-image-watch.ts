"use client";

import { useEffect, useRef, useState } from "react";
import { getAsset, getJob, isApiError } from "./api";
import type { Asset, Job } from "./types";
import { useBackoffPoll } from "./use-backoff-poll";

export function jobEnded(job: Pick<Job, "status">): boolean {
  return job.status !== "queued" && job.status !== "running";
}

export function jobFailed(job: Pick<Job, "status"> | null): boolean {
  return job?.status === "failed" || job?.status === "timed_out";
}

/** A 4xx that will not change by asking again (404: gone, or not this user's). */
function refused(error: unknown): boolean {
  return isApiError(error) && error.status >= 400 && error.status < 500 && error.status !== 429;
}

/**
 * Follows an image asset while it is being painted (`pending`): reads its job for the phase and
 * the times, and once the job has ended, the asset, which it hands to `onSettled` (with the job
 * that ended, when known) as soon as the asset is no longer pending. Polls with useBackoffPoll:
 * 1 s → 1.5× → 5 s, paused while the tab is hidden.
 *
 * Without a job id, or when the job cannot be read, the asset alone is watched. A job that has
 * ended while the asset is still pending is an older one (the asset's metadata not yet moved
 * on): it is dropped, and the asset watched alone.
 */
export function useImageWatch({
  assetId,
  pending,
  jobId,
  onSettled,
  immediate = false,
  restartKey = "",
}: {
  assetId: string;
  /** Watch now (the asset is pending, or not read yet). */
  pending: boolean;
  jobId: string | null;
  onSettled: (asset: Asset, job: Job | null) => void;
  /** Look once at once (after a page load) rather than in a second. */
  immediate?: boolean;
  /** Changes when the asset changed by other means: what a look already in flight read is dropped. */
  restartKey?: string;
}): { job: Job | null; gone: boolean } {
  const [seen, setSeen] = useState<{ jobId: string; job: Job | null } | null>(null);
  const [gone, setGone] = useState(false);
  const onSettledRef = useRef(onSettled);
  useEffect(() => {
    onSettledRef.current = onSettled;
  });
  // Per watched job: whether it can still tell us anything.
  const jobState = useRef<{ jobId: string | null; ended: Job | null; unreadable: boolean }>({
    jobId: null,
    ended: null,
    unreadable: false,
  });

  useBackoffPoll(
    pending && !gone,
    async (current) => {
      if (jobState.current.jobId !== jobId) jobState.current = { jobId, ended: null, unreadable: false };
      const state = jobState.current;
      if (jobId && !state.unreadable && !state.ended) {
        try {
          const job = await getJob(jobId);
          if (!current()) return true;
          setSeen({ jobId, job });
          if (!jobEnded(job)) return false;
          state.ended = job;
        } catch (error) {
          if (!refused(error)) throw error;
          state.unreadable = true;
        }
      }
      let asset: Asset;
      try {
        asset = await getAsset(assetId);
      } catch (error) {
        if (!refused(error)) throw error;
        if (current()) setGone(true);
        return true;
      }
      if (!current()) return true;
      if (asset.status === "pending") {
        // The job we read has ended, yet the asset is still being painted: not its job.
        if (state.ended) {
          state.ended = null;
          state.unreadable = true;
          setSeen(jobId ? { jobId, job: null } : null);
        }
        return false;
      }
      onSettledRef.current(asset, state.ended);
      return true;
    },
    [assetId, jobId, restartKey],
    { immediate },
  );

  return { job: seen && seen.jobId === jobId ? seen.job : null, gone };
}
