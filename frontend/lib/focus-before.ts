const FOCUSABLE =
  'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/**
 * Focus the last focusable element before `element` in the page's order (the control whose
 * action showed it, usually): for when `element` is about to go (a dismissed banner).
 */
export function focusBefore(element: HTMLElement): void {
  const all = Array.from(document.querySelectorAll<HTMLElement>(FOCUSABLE));
  const before = all.filter(
    (candidate) =>
      !element.contains(candidate) &&
      element.compareDocumentPosition(candidate) & Node.DOCUMENT_POSITION_PRECEDING &&
      candidate.getClientRects().length > 0,
  );
  const target = before[before.length - 1];
  window.requestAnimationFrame(() => {
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    (target?.isConnected ? target : document.getElementById("main"))?.focus();
  });
}
