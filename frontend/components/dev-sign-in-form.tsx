"use client";

import { useState, type FormEvent } from "react";
import { ApiError, isApiError, signInWithDevToken } from "@/lib/api";
import type { Session } from "@/lib/types";
import { ErrorBanner } from "./error-banner";
import { Button } from "./ui/button";
import { Field, TextInput } from "./ui/form-controls";

/** POST /api/v1/dev-token: only answered by an API running with APP_ENV=dev or test. */
export function DevSignInForm({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await signInWithDevToken(email.trim(), name.trim() || undefined, code.trim() || undefined);
      onSignedIn(session);
    } catch (err) {
      setError(
        isApiError(err) && err.status === 401
          ? new ApiError({
              code: err.code,
              status: 401,
              message: code.trim()
                ? "That sign-in code is not this preview’s"
                : "This server asks for a sign-in code: enter the preview’s code",
              requestId: err.requestId,
            })
          : isApiError(err) && err.status === 404
          ? new ApiError({
              code: err.code,
              status: 404,
              message: "Developer sign-in is disabled on this server",
              requestId: err.requestId,
            })
          : err,
      );
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-labelledby="dev-sign-in-title">
      <div>
        <h2 id="dev-sign-in-title" className="text-sm font-semibold text-zinc-900">
          Developer sign-in
        </h2>
        <p className="mt-0.5 text-xs text-zinc-600">For local and test servers: sign in as any email address.</p>
      </div>
      <Field label="Email" htmlFor="dev-email">
        <TextInput
          id="dev-email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          placeholder="you@company.com"
        />
      </Field>
      <Field label="Name (optional)" htmlFor="dev-name">
        <TextInput
          id="dev-name"
          autoComplete="name"
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Ada Lovelace"
        />
      </Field>
      <Field
        label="Sign-in code (optional)"
        htmlFor="dev-code"
        hint="Deployed previews need their code (the stack secret’s DEV_SIGN_IN_CODE); local servers ask none."
      >
        <TextInput
          id="dev-code"
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </Field>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <Button type="submit" variant="primary" busy={busy} className="w-full">
        Sign in
      </Button>
    </form>
  );
}
