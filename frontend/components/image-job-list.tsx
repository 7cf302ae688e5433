"use client";

import { useRef } from "react";
import type { StudioJob } from "@/lib/use-studio-jobs";
import { ImageJobCard } from "./image-job-card";
import { EmptyState } from "./ui/empty-state";

/** The studio's images, newest first: each follows its own job. */
export function ImageJobList({ jobs, onDismiss }: { jobs: StudioJob[]; onDismiss: (jobId: string) => void }) {
  const list = useRef<HTMLDivElement>(null);

  /** Remove one, and keep the keyboard in the list: on the next card's Remove, else the list. */
  function dismiss(index: number, jobId: string): void {
    onDismiss(jobId);
    window.requestAnimationFrame(() => {
      const buttons = list.current?.querySelectorAll<HTMLButtonElement>("[data-dismiss]") ?? [];
      const next = buttons[Math.min(index, buttons.length - 1)];
      (next ?? list.current)?.focus();
    });
  }

  return (
    <div ref={list} tabIndex={-1} className="outline-none">
      {jobs.length === 0 ? (
        <EmptyState title="No images yet">Describe a picture and choose its size: it appears here when it is painted.</EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-1" aria-label="Images">
          {jobs.map((entry, i) => (
            <ImageJobCard key={entry.job_id} entry={entry} onDismiss={() => dismiss(i, entry.job_id)} />
          ))}
        </ul>
      )}
    </div>
  );
}
