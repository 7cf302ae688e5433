"use client";

import { useRef } from "react";

/**
 * An image shown fitted to its box; activating it opens it at full size in a modal dialog
 * (Esc or Close shuts it, and focus goes back to the image's button). Plain <img>: storage
 * URLs come from hosts next/image is not configured for, and need no resizing service.
 */
export function ImageFullView({
  src,
  alt,
  width,
  height,
  fill = false,
  className = "",
}: {
  src: string;
  alt: string;
  width?: number | null;
  height?: number | null;
  /** Fill the parent box (of the image's shape) rather than keep the image's own size. */
  fill?: boolean;
  className?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const size = { width: width ?? undefined, height: height ?? undefined };

  return (
    <>
      <button
        type="button"
        onClick={() => {
          dialog.current?.showModal();
          close.current?.focus();
        }}
        className={`group relative block cursor-zoom-in ${fill ? "size-full" : "w-full"} rounded-md focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600`}
        aria-label={`View full size: ${alt}`}
      >
        <img
          src={src}
          alt={alt}
          {...size}
          decoding="async"
          className={`rounded-md border border-zinc-200 bg-zinc-50 ${
            fill ? "size-full object-cover" : "mx-auto h-auto max-w-full object-contain"
          } ${className}`}
        />
        <span
          aria-hidden="true"
          className="absolute right-2 bottom-2 rounded bg-zinc-900/70 px-2 py-0.5 text-xs text-white opacity-0 transition-opacity group-hover:opacity-100 group-focus-visible:opacity-100"
        >
          Full size
        </span>
      </button>
      <dialog
        ref={dialog}
        aria-label={alt}
        onClick={(e) => {
          // A click on the backdrop (the dialog itself, not its content) closes it.
          if (e.target === e.currentTarget) e.currentTarget.close();
        }}
        className="m-auto max-h-[95vh] max-w-[95vw] overflow-auto rounded-lg bg-white p-0 shadow-xl backdrop:bg-zinc-950/70"
      >
        <div className="sticky top-0 flex items-center justify-between gap-3 border-b border-zinc-100 bg-white px-4 py-2">
          <p className="truncate text-sm text-zinc-600">
            {width && height ? `${width} × ${height}` : "Full size"}
          </p>
          <div className="flex items-center gap-3">
            <a href={src} target="_blank" rel="noopener" className="text-sm font-medium text-indigo-700 hover:underline">
              Open in new tab
            </a>
            <button
              ref={close}
              type="button"
              onClick={() => dialog.current?.close()}
              className="rounded-md px-2.5 py-1 text-sm font-medium text-zinc-700 ring-1 ring-zinc-300 hover:bg-zinc-50"
            >
              Close
            </button>
          </div>
        </div>
        <img src={src} alt={alt} {...size} loading="lazy" className="block max-w-none" />
      </dialog>
    </>
  );
}
