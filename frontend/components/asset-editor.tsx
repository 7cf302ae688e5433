"use client";

import { standardSchemaResolver } from "@hookform/resolvers/standard-schema";
import { useEffect, type KeyboardEvent, type ReactNode } from "react";
import { useForm, useWatch } from "react-hook-form";
import * as v from "valibot";
import type { Asset, AssetUpdate } from "@/lib/types";
import { CopyLength } from "./copy-length";
import { Button } from "./ui/button";
import { Field, TextArea, TextInput } from "./ui/form-controls";

/** PATCH /assets/{id}'s fields, checked as the API checks them. */
const editSchema = v.object({
  title: v.pipe(v.string(), v.trim(), v.minLength(1, "A title is required."), v.maxLength(200, "At most 200 characters.")),
  content: v.pipe(v.string(), v.maxLength(100_000, "At most 100,000 characters.")),
});

type EditFields = v.InferInput<typeof editSchema>;

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
  const saved = { title: asset.title, content: asset.content ?? "" };
  const {
    register,
    handleSubmit,
    reset,
    control,
    formState: { errors },
  } = useForm<EditFields, unknown, v.InferOutput<typeof editSchema>>({
    resolver: standardSchemaResolver(editSchema),
    mode: "onChange",
    defaultValues: saved,
  });
  const [title, content] = useWatch({ control, name: ["title", "content"] });

  const titleChanged = title.trim() !== asset.title;
  const contentChanged = isText && content !== (asset.content ?? "");
  const dirty = titleChanged || contentChanged;

  useEffect(() => {
    onDirtyChange?.(dirty);
  }, [dirty, onDirtyChange]);

  // The API's answer (a refusal too) shows in the workspace's banner.
  const save = handleSubmit((values) => {
    if (!dirty || saving || disabled) return;
    const update: AssetUpdate = {};
    if (titleChanged) update.title = values.title;
    if (contentChanged) update.content = values.content;
    onSave(update);
  });

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      void save();
    }
  }

  function discard() {
    reset(saved);
  }

  return (
    <form onSubmit={save} onKeyDown={onKeyDown} noValidate className="space-y-4" aria-label="Edit asset">
      <Field label="Title" htmlFor="asset-title" error={errors.title?.message}>
        <TextInput
          id="asset-title"
          maxLength={200}
          // Written into the server's HTML too (register sets the value only once hydrated).
          defaultValue={saved.title}
          {...register("title")}
        />
      </Field>
      {isText ? (
        <div>
          <Field label="Content" htmlFor="asset-content" error={errors.content?.message}>
            <TextArea
              id="asset-content"
              rows={14}
              maxLength={100_000}
              defaultValue={saved.content}
              {...register("content")}
              aria-invalid={!!errors.content}
              aria-describedby={errors.content ? "asset-content-error asset-content-length" : "asset-content-length"}
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
          <Button type="submit" variant="primary" busy={saving} disabled={disabled || !dirty}>
            Save
          </Button>
        </div>
      </div>
    </form>
  );
}
