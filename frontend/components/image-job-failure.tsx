import { formatCredits } from "@/lib/numbers";
import type { Job } from "@/lib/types";

/** "The image could not be generated: <why>. Your 5 credits were refunded." */
export function imageFailureText(
  job: Job | null,
  credits: number | null,
  what = "The image could not be generated",
): string {
  const why = job?.status === "timed_out" ? " in time" : "";
  const detail = job?.error ? `: ${job.error.replace(/\.$/, "")}.` : ".";
  const refunded =
    credits !== null ? `Your ${formatCredits(credits)} ${credits === 1 ? "was" : "were"} refunded.` : "Your credits were refunded.";
  return `${what}${why}${detail} ${refunded}`;
}

/** A failed or timed-out image job: what went wrong, and that its credits came back. */
export function ImageJobFailure({
  job,
  credits,
  what,
}: {
  job: Job | null;
  /** What the job cost (refunded), when known. */
  credits: number | null;
  what?: string;
}) {
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {imageFailureText(job, credits, what)}
    </p>
  );
}
