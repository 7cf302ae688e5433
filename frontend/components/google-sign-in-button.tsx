"use client";

import Script from "next/script";
import { useCallback, useRef, useState } from "react";
import { signInWithGoogle } from "@/lib/api";
import type { Session } from "@/lib/types";
import { ErrorBanner } from "./error-banner";
import { Spinner } from "./ui/spinner";

// The small part of Google Identity Services this button uses.
interface GoogleCredentialResponse {
  credential: string;
}
interface GoogleAccountsId {
  initialize(options: {
    client_id: string;
    callback: (response: GoogleCredentialResponse) => void;
    ux_mode?: "popup" | "redirect";
    auto_select?: boolean;
  }): void;
  renderButton(
    parent: HTMLElement,
    options: { theme?: string; size?: string; text?: string; shape?: string; width?: number; logo_alignment?: string },
  ): void;
}
declare global {
  interface Window {
    google?: { accounts: { id: GoogleAccountsId } };
  }
}

/** Google's own button (GIS); its ID token is exchanged for our session at /auth/google. */
export function GoogleSignInButton({
  clientId,
  onSignedIn,
}: {
  clientId: string;
  onSignedIn: (session: Session) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const renderButton = useCallback(() => {
    const gis = window.google?.accounts.id;
    if (!gis || !container.current) return;
    gis.initialize({
      client_id: clientId,
      ux_mode: "popup",
      callback: async ({ credential }) => {
        setBusy(true);
        setError(null);
        try {
          onSignedIn(await signInWithGoogle(credential));
        } catch (err) {
          setError(err);
          setBusy(false);
        }
      },
    });
    gis.renderButton(container.current, {
      theme: "outline",
      size: "large",
      text: "signin_with",
      shape: "rectangular",
      width: 320,
      logo_alignment: "center",
    });
  }, [clientId, onSignedIn]);

  return (
    <div className="space-y-3">
      <Script src="https://accounts.google.com/gsi/client" strategy="afterInteractive" onReady={renderButton} />
      <div className="flex min-h-11 items-center justify-center">
        {busy ? (
          <span role="status" className="inline-flex items-center gap-2 text-sm text-zinc-600">
            <Spinner /> Signing in with Google…
          </span>
        ) : null}
        <div ref={container} className={busy ? "hidden" : ""} />
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
    </div>
  );
}
