"use client";

import type { UseFormRegisterReturn } from "react-hook-form";
import { IMAGE_SIDE_MAX, IMAGE_SIDE_MIN, IMAGE_SIDE_STEP, SIZE_PRESETS, type SizePresetId } from "@/lib/image-sizes";
import { Field, TextInput } from "./ui/form-controls";

export type SizeChoice = SizePresetId | "custom";

/** A small box in the preset's shape. */
function ShapeIcon({ width, height }: { width: number; height: number }) {
  const scale = 22 / Math.max(width, height);
  return (
    <span aria-hidden="true" className="flex size-6 shrink-0 items-center justify-center">
      <span
        className="rounded-[3px] border-2 border-current"
        style={{ width: Math.round(width * scale), height: Math.round(height * scale) }}
      />
    </span>
  );
}

/**
 * The size of an image: a preset per channel, or a custom width × height. Its fields are the
 * form's (react-hook-form `register`): the choice's radios and the custom sides, as typed.
 */
export function ImageSizePicker({
  choice,
  choiceField,
  widthField,
  heightField,
  widthError,
  heightError,
  disabled,
}: {
  /** The choice made, to show the custom sides. */
  choice: SizeChoice;
  choiceField: UseFormRegisterReturn;
  widthField: UseFormRegisterReturn;
  heightField: UseFormRegisterReturn;
  widthError?: string;
  heightError?: string;
  disabled?: boolean;
}) {
  const options = [
    ...SIZE_PRESETS.map((p) => ({
      id: p.id as SizeChoice,
      title: `${p.label} ${p.ratio}`,
      detail: `${p.width} × ${p.height}`,
      channels: p.channels,
      shape: <ShapeIcon width={p.width} height={p.height} />,
    })),
    {
      id: "custom" as SizeChoice,
      title: "Custom",
      detail: `${IMAGE_SIDE_MIN}–${IMAGE_SIDE_MAX}`,
      channels: `Steps of ${IMAGE_SIDE_STEP} px`,
      shape: (
        <span aria-hidden="true" className="flex size-6 items-center justify-center text-base leading-none">
          ⋯
        </span>
      ),
    },
  ];

  return (
    <fieldset disabled={disabled} className="space-y-3">
      <legend className="mb-1 text-sm font-medium text-zinc-800">Size</legend>
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        {options.map((o) => (
          <label
            key={o.id}
            className="relative flex cursor-pointer flex-col gap-1 rounded-md p-2.5 text-sm ring-1 ring-zinc-300 hover:bg-zinc-50 has-checked:bg-indigo-50/70 has-checked:ring-2 has-checked:ring-indigo-600 has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-indigo-600"
          >
            {/* The radio covers its card, transparent: the card is what is seen and clicked. */}
            <input
              type="radio"
              value={o.id}
              {...choiceField}
              className="absolute inset-0 z-10 size-full cursor-pointer appearance-none rounded-md outline-none"
            />
            <span className="flex items-center gap-2 font-medium text-zinc-900">
              <span className="text-zinc-500">{o.shape}</span>
              {o.title}
            </span>
            <span className="text-xs text-zinc-600 tabular-nums">{o.detail}</span>
            <span className="text-xs text-zinc-500">{o.channels}</span>
          </label>
        ))}
      </div>
      {choice === "custom" ? (
        <div className="grid grid-cols-2 gap-3 sm:max-w-sm">
          {(
            [
              ["image-width", "Width (px)", widthField, widthError],
              ["image-height", "Height (px)", heightField, heightError],
            ] as const
          ).map(([id, label, field, error]) => (
            <Field key={id} label={label} htmlFor={id} error={error}>
              <TextInput
                id={id}
                type="number"
                inputMode="numeric"
                min={IMAGE_SIDE_MIN}
                max={IMAGE_SIDE_MAX}
                step={IMAGE_SIDE_STEP}
                required
                {...field}
              />
            </Field>
          ))}
        </div>
      ) : null}
    </fieldset>
  );
}
