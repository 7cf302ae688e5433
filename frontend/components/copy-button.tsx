"use client";

import { useEffect, useState } from "react";
import { copyText } from "@/lib/clipboard";
import { Button } from "./ui/button";

export function CopyButton({ text, label = "Copy", describedAs }: { text: string; label?: string; describedAs?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = window.setTimeout(() => setState("idle"), 1500);
    return () => window.clearTimeout(timer);
  }, [state]);

  return (
    <Button
      size="sm"
      variant="ghost"
      title={describedAs ? `Copy “${describedAs}”` : undefined}
      onClick={async () => setState((await copyText(text)) ? "copied" : "failed")}
    >
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}</span>
    </Button>
  );
}
