/** Where an image will be (or could not be): a shaped box, pulsing while it is painted. */
export function ImagePlaceholder({ state, className = "" }: { state: "pending" | "failed" | "empty"; className?: string }) {
  return (
    <div
      aria-hidden="true"
      className={`flex size-full items-center justify-center ${
        state === "pending" ? "animate-pulse bg-gradient-to-br from-indigo-50 via-zinc-100 to-violet-100" : "bg-zinc-100"
      } ${className}`}
    >
      <svg
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        className={`size-1/4 max-h-10 max-w-10 ${state === "failed" ? "text-red-300" : "text-zinc-400"}`}
      >
        {state === "failed" ? (
          <path strokeLinecap="round" strokeLinejoin="round" d="M12 9v3.75m9-.75a9 9 0 1 1-18 0 9 9 0 0 1 18 0Zm-9 3.75h.008v.008H12v-.008Z" />
        ) : (
          <path
            strokeLinecap="round"
            strokeLinejoin="round"
            d="m2.25 15.75 5.16-5.16a2.25 2.25 0 0 1 3.18 0l5.16 5.16m-1.5-1.5 1.41-1.41a2.25 2.25 0 0 1 3.18 0l2.91 2.91M3.75 21h16.5a1.5 1.5 0 0 0 1.5-1.5V4.5a1.5 1.5 0 0 0-1.5-1.5H3.75a1.5 1.5 0 0 0-1.5 1.5v15a1.5 1.5 0 0 0 1.5 1.5Zm10.5-11.25h.008v.008h-.008V9.75Zm.375 0a.375.375 0 1 1-.75 0 .375.375 0 0 1 .75 0Z"
          />
        )}
      </svg>
    </div>
  );
}
