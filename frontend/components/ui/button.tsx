import type { ButtonHTMLAttributes } from "react";
import { Spinner } from "./spinner";

type Variant = "primary" | "secondary" | "ghost" | "danger";
type Size = "sm" | "md";

const VARIANTS: Record<Variant, string> = {
  primary:
    "bg-indigo-600 text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-indigo-600 disabled:bg-indigo-300",
  secondary:
    "bg-white text-zinc-800 shadow-sm ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50 focus-visible:outline-indigo-600 disabled:text-zinc-400 disabled:hover:bg-white",
  ghost: "text-zinc-700 hover:bg-zinc-100 focus-visible:outline-indigo-600 disabled:text-zinc-400",
  danger: "bg-white text-red-700 shadow-sm ring-1 ring-inset ring-red-200 hover:bg-red-50 focus-visible:outline-red-600",
};

const SIZES: Record<Size, string> = {
  sm: "h-8 px-2.5 text-xs gap-1.5",
  md: "h-9 px-3.5 text-sm gap-2",
};

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: Size;
  /**
   * A request is in flight: show a spinner and refuse clicks. The label stays the same, and so
   * does the keyboard's focus: a busy button is aria-disabled, not disabled (a disabled button
   * drops focus to the page).
   */
  busy?: boolean;
}

export function Button({
  variant = "secondary",
  size = "md",
  busy = false,
  disabled,
  className = "",
  type = "button",
  children,
  onClick,
  ...props
}: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled && !busy}
      aria-disabled={busy || undefined}
      aria-busy={busy || undefined}
      // Refused while busy; cancelling the click also stops a submit button's form (Enter too).
      onClick={busy ? (event) => event.preventDefault() : onClick}
      className={`inline-flex shrink-0 items-center justify-center rounded-md font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed aria-busy:cursor-wait aria-busy:opacity-80 ${VARIANTS[variant]} ${SIZES[size]} ${className}`}
      {...props}
    >
      {busy ? <Spinner className={size === "sm" ? "size-3.5" : "size-4"} /> : null}
      {children}
    </button>
  );
}
