import type { Asset } from "@/lib/types";
import { Button } from "./ui/button";

/** Undo / Redo move the current-version pointer; history itself is never rewritten. */
export function VersionControls({
  asset,
  busy,
  disabled,
  onUndo,
  onRedo,
}: {
  asset: Asset;
  busy: "undo" | "redo" | null;
  disabled: boolean;
  onUndo: () => void;
  onRedo: () => void;
}) {
  return (
    <>
      <Button
        onClick={onUndo}
        busy={busy === "undo"}
        disabled={disabled || asset.current_version <= 1}
        title="Go back to the previous version"
      >
        <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
          <path
            fillRule="evenodd"
            d="M7.79 5.23a.75.75 0 0 1-.02 1.06L5.6 8.25H12a5 5 0 0 1 0 10h-1.5a.75.75 0 0 1 0-1.5H12a3.5 3.5 0 1 0 0-7H5.6l2.17 1.96a.75.75 0 1 1-1 1.12l-3.5-3.17a.75.75 0 0 1 0-1.12l3.5-3.17a.75.75 0 0 1 1.06.04Z"
            clipRule="evenodd"
          />
        </svg>
        Undo
      </Button>
      <Button
        onClick={onRedo}
        busy={busy === "redo"}
        disabled={disabled || asset.current_version >= asset.latest_version}
        title="Go forward to the next version"
      >
        Redo
        <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
          <path
            fillRule="evenodd"
            d="M12.21 5.23a.75.75 0 0 0 .02 1.06l2.17 1.96H8a5 5 0 0 0 0 10h1.5a.75.75 0 0 0 0-1.5H8a3.5 3.5 0 1 1 0-7h6.4l-2.17 1.96a.75.75 0 1 0 1 1.12l3.5-3.17a.75.75 0 0 0 0-1.12l-3.5-3.17a.75.75 0 0 0-1.06.04Z"
            clipRule="evenodd"
          />
        </svg>
      </Button>
      <span className="text-sm text-zinc-600 tabular-nums" aria-live="polite" data-testid="version-indicator">
        {asset.latest_version === 0 ? "No version yet" : `Version ${asset.current_version} of ${asset.latest_version}`}
      </span>
    </>
  );
}
