"use client";

import { useRef, useState, type KeyboardEvent } from "react";
import { useChannels } from "@/lib/channels";
import { Skeleton } from "./ui/skeleton";

/**
 * A campaign's channels: checkboxes that are one Tab stop (arrow keys move between them, Space
 * ticks one, Home/End jump), from the channel table the API serves.
 */
export function ChannelPicker({ value, onChange }: { value: string[]; onChange: (channels: string[]) => void }) {
  const { channels } = useChannels();
  const [active, setActive] = useState(0);
  const boxes = useRef<(HTMLInputElement | null)[]>([]);

  if (!channels) {
    return (
      <div role="status" className="grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-3 lg:grid-cols-6">
        <span className="sr-only">Loading channels…</span>
        {Array.from({ length: 18 }, (_, i) => (
          <Skeleton key={i} className="h-5 w-full" />
        ))}
      </div>
    );
  }

  function toggle(id: string, on: boolean) {
    // Kept in the table's order.
    onChange(channels!.map((c) => c.id).filter((c) => (c === id ? on : value.includes(c))));
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const count = channels!.length;
    const moves: Record<string, number> = {
      ArrowRight: active + 1,
      ArrowDown: active + 1,
      ArrowLeft: active - 1,
      ArrowUp: active - 1,
      Home: 0,
      End: count - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const index = (next + count) % count;
    setActive(index);
    boxes.current[index]?.focus();
  }

  return (
    <div
      className="grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-3 lg:grid-cols-6"
      onKeyDown={onKeyDown}
      aria-describedby="campaign-channels-hint"
    >
      {channels.map((channel, i) => {
        const id = `campaign-channel-${channel.id}`;
        return (
          <div key={channel.id} className="flex items-center gap-2">
            <input
              ref={(el) => {
                boxes.current[i] = el;
              }}
              id={id}
              type="checkbox"
              tabIndex={i === active ? 0 : -1}
              className="size-4 rounded border-zinc-300 accent-indigo-600"
              checked={value.includes(channel.id)}
              onChange={(e) => toggle(channel.id, e.target.checked)}
              onFocus={() => setActive(i)}
            />
            <label htmlFor={id} className="text-sm text-zinc-700">
              {channel.label}
            </label>
          </div>
        );
      })}
    </div>
  );
}
