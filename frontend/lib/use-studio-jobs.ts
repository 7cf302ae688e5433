"use client";

import { useCallback, useSyncExternalStore } from "react";
import type { ImageJobAccepted } from "./types";

/**
 * The images started in the AI studio, newest first, kept per user in localStorage so a job in
 * flight is followed again after a reload (or in another tab) and a finished one stays on show
 * until dismissed. Only ids and what the request asked are kept; the API says the rest.
 */
export interface StudioJob {
  job_id: string;
  asset_id: string;
  prompt: string;
  width: number;
  height: number;
  credits_charged: number;
  /** When it was started, ISO-8601. */
  started_at: string;
}

const KEEP = 12;
const CHANGE_EVENT = "asset-engine:studio-jobs";

function storageKey(userId: string): string {
  return `asset-engine.studio-jobs.${userId}`;
}

function isStudioJob(value: unknown): value is StudioJob {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.job_id === "string" &&
    typeof v.asset_id === "string" &&
    typeof v.prompt === "string" &&
    typeof v.width === "number" &&
    typeof v.height === "number" &&
    typeof v.credits_charged === "number" &&
    typeof v.started_at === "string"
  );
}

const NONE: StudioJob[] = [];
const cache = new Map<string, { raw: string | null; jobs: StudioJob[] }>();

/** The same array until the stored value changes (useSyncExternalStore needs that). */
function read(key: string): StudioJob[] {
  const raw = window.localStorage.getItem(key);
  const cached = cache.get(key);
  if (cached && cached.raw === raw) return cached.jobs;
  let jobs = NONE;
  try {
    const value: unknown = raw ? JSON.parse(raw) : [];
    if (Array.isArray(value)) jobs = value.filter(isStudioJob);
  } catch {
    // A corrupt entry is the same as none.
  }
  cache.set(key, { raw, jobs });
  return jobs;
}

function write(key: string, jobs: StudioJob[]): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(jobs.slice(0, KEEP)));
  } catch {
    // Storage full or refused: the list lives until the next reload only.
  }
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener(CHANGE_EVENT, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(CHANGE_EVENT, onChange);
    window.removeEventListener("storage", onChange);
  };
}

export function useStudioJobs(userId: string | null) {
  const key = userId ? storageKey(userId) : null;
  const jobs = useSyncExternalStore(
    subscribe,
    () => (key ? read(key) : NONE),
    () => NONE,
  );

  const add = useCallback(
    (accepted: ImageJobAccepted, asked: { prompt: string; width: number; height: number }) => {
      if (!key) return;
      const entry: StudioJob = {
        job_id: accepted.job.id,
        asset_id: accepted.asset_id,
        prompt: asked.prompt,
        width: asked.width,
        height: asked.height,
        credits_charged: accepted.credits_charged,
        started_at: accepted.job.created_at,
      };
      // The same answer twice (an idempotent replay) is one entry.
      write(key, [entry, ...read(key).filter((j) => j.job_id !== entry.job_id)]);
    },
    [key],
  );

  const remove = useCallback(
    (jobId: string) => {
      if (key) write(key, read(key).filter((j) => j.job_id !== jobId));
    },
    [key],
  );

  return { jobs, add, remove };
}
