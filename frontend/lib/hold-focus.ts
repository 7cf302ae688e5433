/**
 * Keep the keyboard's place across an action that disables its own button while it runs (a
 * disabled button loses focus to the page). Call before the action; call what it returns after:
 * focus goes back to that control, or, if it is now disabled (Undo at version 1), to the first
 * enabled control of its form or section. Nothing moves if the user has focused something else.
 */
export function holdFocus(): () => void {
  const held = typeof document !== "undefined" && document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return () => {
    if (!held) return;
    window.requestAnimationFrame(() => {
      const active = document.activeElement;
      if (active && active !== document.body && active !== held) return;
      if (held.isConnected && !held.matches(":disabled")) {
        held.focus();
        return;
      }
      held
        .closest("form, section")
        ?.querySelector<HTMLElement>("button:enabled, input:enabled, textarea:enabled, select:enabled")
        ?.focus();
    });
  };
}
