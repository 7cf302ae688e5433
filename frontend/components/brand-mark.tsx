export function BrandMark({ className = "size-7" }: { className?: string }) {
  return (
    <span
      className={`inline-flex items-center justify-center rounded-md bg-indigo-600 text-white shadow-sm ${className}`}
      aria-hidden="true"
    >
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" className="size-4/6">
        <path d="M12 3l2.5 5.5L20 11l-5.5 2.5L12 19l-2.5-5.5L4 11l5.5-2.5L12 3z" strokeLinejoin="round" />
      </svg>
    </span>
  );
}
