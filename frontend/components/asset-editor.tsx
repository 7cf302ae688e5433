"use client";

import { useEffect, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import type { Asset, AssetUpdate } from "@/lib/types";
import { CopyLength } from "./copy-length";
import { Button } from "./ui/button";
import { Field, TextArea, TextInput } from "./ui/form-controls";

/**
 * The current version of an asset, editable. Mount it with a key of the asset's version so a
 * new version (saved, undone, refined…) replaces the draft.
 */
export function AssetEditor({
  asset,
  saving,
  disabled,
  onSave,
  onDirtyChange,
  toolbar,
}: {
  asset: Asset;
  saving: boolean;
  /** Another action is in flight. */
  disabled: boolean;
  /** PATCH the changed fields, based on `asset.current_version`. */
  onSave: (update: AssetUpdate) => void;
  onDirtyChange?: (dirty: boolean) => void;
  /** Rendered at the left of the action row (copy, download). */
  toolbar?: ReactNode;
}) {
  const isText = asset.kind === "text";
  const [title, setTitle] = useState(asset.title);
  const [content, setContent] = useState(asset.content ?? "");

  const titleChanged = title.trim() !== asset.title;
  const contentChanged = isText && content !== (asset.content ?? "");
  const dirty = titleChanged || contentChanged;
  const titleValid = title.trim().length > 0;

  useEffect(() => {
    onDirtyChange?.(dirty);
  }, [dirty, onDirtyChange]);

  function save(event?: FormEvent) {
    event?.preventDefault();
    if (!dirty || !titleValid || saving || disabled) return;
    const update: AssetUpdate = {};
    if (titleChanged) update.title = title.trim();
    if (contentChanged) update.content = content;
    onSave(update);
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save();
    }
  }

  function discard() {
    setTitle(asset.title);
    setContent(asset.content ?? "");
  }

  return (
    <form onSubmit={save} onKeyDown={onKeyDown} className="space-y-4" aria-label="Edit asset">
      <Field label="Title" htmlFor="asset-title" error={titleValid ? null : "A title is required."}>
        <TextInput
          id="asset-title"
          maxLength={200}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          aria-invalid={!titleValid}
        />
      </Field>
      {isText ? (
        <div>
          <Field label="Content" htmlFor="asset-content">
            <TextArea
              id="asset-content"
              rows={14}
              maxLength={100_000}
              value={content}
              onChange={(e) => setContent(e.target.value)}
              aria-describedby="asset-content-length"
              className="font-[inherit] leading-relaxed"
            />
          </Field>
          <CopyLength
            id="asset-content-length"
            text={content}
            channel={typeof asset.metadata.channel === "string" ? asset.metadata.channel : null}
            assetType={asset.asset_type ?? (typeof asset.metadata.asset_type === "string" ? asset.metadata.asset_type : null)}
          />
        </div>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-2">{toolbar}</div>
        <div className="flex items-center gap-2">
          {dirty ? (
            <>
              <span className="text-xs font-medium text-amber-700">Unsaved changes</span>
              <Button size="md" variant="ghost" onClick={discard} disabled={saving}>
                Discard changes
              </Button>
            </>
          ) : null}
          <Button type="submit" variant="primary" busy={saving} disabled={disabled || !dirty || !titleValid}>
            Save
          </Button>
        </div>
      </div>
    </form>
  );
}
