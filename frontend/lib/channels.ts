"use client";

import { startTransition, useEffect, useState } from "react";
import { listChannels } from "./api";
import { humanize } from "./format";
import { formatCount } from "./numbers";
import type { AssetLimit, ChannelInfo, SmsSegmentSizes } from "./types";

// GET /channels is the same for everyone and changes only with a deploy: read once per page load.
let cached: Promise<ChannelInfo[]> | null = null;

function loadChannels(): Promise<ChannelInfo[]> {
  cached ??= listChannels().catch((error: unknown) => {
    cached = null;
    throw error;
  });
  return cached;
}

/** The channel table (`GET /channels`), or null until it is read (or when it could not be). */
export function useChannels(): { channels: ChannelInfo[] | null; error: unknown } {
  const [state, setState] = useState<{ channels: ChannelInfo[] | null; error: unknown }>({ channels: null, error: null });
  useEffect(() => {
    let live = true;
    // In a transition, as API answers are (lib/use-api-resource.ts).
    loadChannels().then(
      (channels) => live && startTransition(() => setState({ channels, error: null })),
      (error: unknown) => live && startTransition(() => setState({ channels: null, error })),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

const GSM7 = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM7_EXTENDED = new Set("^{}\\[~]|€\f"); // two septets each

/** How many messages an SMS is sent as: GSM-7 when every character allows, else UCS-2 (as the API counts). */
export function smsSegments(text: string, sizes: SmsSegmentSizes): number {
  const chars = [...text];
  let units: number;
  let size: { single: number; multipart: number };
  if (chars.every((c) => GSM7.has(c) || GSM7_EXTENDED.has(c))) {
    units = chars.reduce((n, c) => n + (GSM7_EXTENDED.has(c) ? 2 : 1), 0);
    size = sizes.gsm7;
  } else {
    units = text.length; // UTF-16 code units
    size = sizes.ucs2;
  }
  return units <= size.single ? 1 : Math.ceil(units / size.multipart);
}

/** An email's subject: its first line, without the "Subject:" label. */
export function subjectLine(text: string): string {
  let first = text.trimStart().split("\n", 1)[0] ?? "";
  if (first.slice(0, 8).toLowerCase() === "subject:") first = first.slice(8);
  return first.trim();
}

export interface CopyMeasure {
  channel: ChannelInfo;
  limit: AssetLimit;
  /** Unicode code points of what the limit counts. */
  length: number;
  over: number;
  /** SMS only. */
  segments: number | null;
}

/** How `text` of `assetType` measures against `channel`'s limit; null when nothing binds it. */
export function measureCopy(text: string, channel: ChannelInfo | undefined, assetType: string | null | undefined): CopyMeasure | null {
  const limit = channel && assetType ? channel.asset_limits[assetType] : undefined;
  if (!channel || !limit) return null;
  const measured = limit.measure === "subject_line" ? subjectLine(text) : text;
  const length = [...measured].length;
  return {
    channel,
    limit,
    length,
    over: Math.max(0, length - limit.limit),
    segments: channel.segments ? smsSegments(text, channel.segments) : null,
  };
}

/** "Google Ads (search) headline: 30 characters". */
export function describeLimit(channel: ChannelInfo, limit: AssetLimit): string {
  const what = limit.measure === "subject_line" ? "subject line" : limit.field.replace(/_/g, " ");
  return `${channel.label} ${what}: at most ${formatCount(limit.limit)} characters`;
}

/** A channel's name in words, from the table once read (until then, its id in words). */
export function useChannelLabel(): (id: string) => string {
  const { channels } = useChannels();
  return (id) => channels?.find((c) => c.id === id)?.label ?? humanize(id);
}
