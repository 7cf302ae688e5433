import {
  cloneElement,
  isValidElement,
  type InputHTMLAttributes,
  type LabelHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

const control =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600 disabled:bg-zinc-50 disabled:text-zinc-500 aria-[invalid=true]:ring-red-400";

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
    <p id={id} className={`mt-1 text-xs ${tone === "error" ? "text-red-700" : "text-zinc-600"}`}>
      {children}
    </p>
  );
}

/** The ids a Field's hint and error get, for a control that names them itself. */
export function describedBy(htmlFor: string, { hint, error }: { hint?: boolean; error?: boolean }): string | undefined {
  const ids = [error ? `${htmlFor}-error` : null, hint ? `${htmlFor}-hint` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

/**
 * A label above its control, with an optional hint and error below, both tied to the control
 * (`aria-describedby`; an error also sets `aria-invalid`), so a screen reader reads them with it.
 */
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
  const ids = describedBy(htmlFor, { hint: !!hint, error: !!error });
  const control =
    isValidElement<{ "aria-describedby"?: string; "aria-invalid"?: boolean | "true" | "false" }>(children) &&
    children.props["aria-describedby"] === undefined
      ? cloneElement(children, {
          "aria-describedby": ids,
          ...(error ? { "aria-invalid": true } : {}),
        })
      : children;
  return (
    <div>
      <Label htmlFor={htmlFor} className="mb-1">
        {label}
      </Label>
      {control}
      {error ? (
        <Hint id={`${htmlFor}-error`} tone="error">
          {error}
        </Hint>
      ) : null}
      {hint ? <Hint id={`${htmlFor}-hint`}>{hint}</Hint> : null}
    </div>
  );
}
