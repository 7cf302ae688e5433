"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { env } from "@/lib/env";
import { returnPath } from "@/lib/return-path";
import { BrandMark } from "./brand-mark";
import { DevSignInForm } from "./dev-sign-in-form";
import { lazyComponent } from "./lazy-component";
import { useSession } from "./session-provider";

// Only where Google sign-in is configured: elsewhere its code (and next/script's) stays out of
// the page. The placeholder keeps the button's height while the chunk arrives.
const GoogleSignInButton = lazyComponent(
  () => import("./google-sign-in-button").then((m) => m.GoogleSignInButton),
  <div className="min-h-11" />,
);

export function SignInPanel() {
  const router = useRouter();
  const { status, signIn } = useSession();
  const googleClientId = env.NEXT_PUBLIC_GOOGLE_CLIENT_ID;

  // Signed in (just now, or already in another tab): on to the work, or back to the page
  // that sent us here.
  useEffect(() => {
    if (status === "signed-in") router.replace(returnPath(window.location.search, window.location.origin));
  }, [status, router]);

  return (
    <div className="w-full max-w-sm">
      <div className="mb-6 flex flex-col items-center text-center">
        <BrandMark className="size-10" />
        <h1 className="mt-4 text-xl font-semibold tracking-tight text-zinc-900">Sign in to asset-engine</h1>
        <p className="mt-1 text-sm text-zinc-500">Plan campaigns, write copy with AI, keep every version.</p>
      </div>
      <div className="space-y-6 rounded-lg border border-zinc-200 bg-white p-6 shadow-sm">
        {googleClientId ? (
          <>
            <GoogleSignInButton clientId={googleClientId} onSignedIn={signIn} />
            <div className="flex items-center gap-3 text-xs text-zinc-500" aria-hidden="true">
              <span className="h-px flex-1 bg-zinc-200" />
              or
              <span className="h-px flex-1 bg-zinc-200" />
            </div>
          </>
        ) : null}
        <DevSignInForm onSignedIn={signIn} />
      </div>
    </div>
  );
}
