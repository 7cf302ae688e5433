"use client";

import { formatDateTime } from "@/lib/format";
import { useWriting } from "@/lib/use-writing";

/**
 * A moment, in the reader's time zone. The server knows none: its render (and the hydrating
 * one, which must match it) writes the moment in UTC and keeps it invisible, so that no wrong
 * time shows and the line keeps its length (no layout shift); the browser then writes its own.
 */
export function DateTimeText({ value }: { value: string }) {
  const writing = useWriting();
  return (
    <time dateTime={value} className={writing === "fixed" ? "invisible" : undefined}>
      {formatDateTime(value, writing)}
    </time>
  );
}
