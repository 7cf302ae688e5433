import type { InputHTMLAttributes, LabelHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

const control =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 disabled:bg-zinc-50 disabled:text-zinc-500 aria-[invalid=true]:ring-red-400";

export function Label({ className = "", ...props }: LabelHTMLAttributes<HTMLLabelElement>) {
  return <label className={`block text-sm font-medium text-zinc-800 ${className}`} {...props} />;
}

export function TextInput({ className = "", ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={`${control} h-9 ${className}`} {...props} />;
}

export function TextArea({ className = "", ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={`${control} ${className}`} {...props} />;
}

export function Select({ className = "", ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={`${control} h-9 pr-8 ${className}`} {...props} />;
}

function Hint({ id, children, tone = "muted" }: { id?: string; children: ReactNode; tone?: "muted" | "error" }) {
  return (
    <p id={id} className={`mt-1 text-xs ${tone === "error" ? "text-red-600" : "text-zinc-500"}`}>
      {children}
    </p>
  );
}

/** A label above its control, with an optional hint below. */
export function Field({
  label,
  htmlFor,
  hint,
  error,
  children,
}: {
  label: ReactNode;
  htmlFor: string;
  hint?: ReactNode;
  error?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div>
      <Label htmlFor={htmlFor} className="mb-1">
        {label}
      </Label>
      {children}
      {error ? (
        <Hint id={`${htmlFor}-error`} tone="error">
          {error}
        </Hint>
      ) : hint ? (
        <Hint id={`${htmlFor}-hint`}>{hint}</Hint>
      ) : null}
    </div>
  );
}
