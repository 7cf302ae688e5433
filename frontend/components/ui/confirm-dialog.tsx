"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { Button } from "./button";

/**
 * A modal question (the native `<dialog>`: focus stays inside, Escape cancels). Focus starts on
 * the safe choice and goes back to the control that opened it, either way.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = "Keep editing",
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      d.showModal();
      d.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);

  /** Close, put focus back on the opener, then act (an action keeps the focus it finds). */
  function finish(then: () => void) {
    dialog.current?.close();
    opener.current?.focus();
    then();
  }

  return (
    <dialog
      ref={dialog}
      role="alertdialog"
      aria-labelledby="confirm-dialog-title"
      aria-describedby="confirm-dialog-body"
      onCancel={(event) => {
        event.preventDefault();
        finish(onCancel);
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg bg-white p-5 shadow-xl ring-1 ring-zinc-200 backdrop:bg-zinc-900/40"
    >
      <h2 id="confirm-dialog-title" className="text-base font-semibold text-zinc-900">
        {title}
      </h2>
      <div id="confirm-dialog-body" className="mt-2 text-sm text-zinc-700">
        {children}
      </div>
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <Button data-autofocus onClick={() => finish(onCancel)}>
          {cancelLabel}
        </Button>
        <Button variant="danger" onClick={() => finish(onConfirm)}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
