"use client";

import { standardSchemaResolver } from "@hookform/resolvers/standard-schema";
import { useState } from "react";
import { useForm } from "react-hook-form";
import * as v from "valibot";
import { ApiError, isApiError, signInWithDevToken } from "@/lib/api";
import { placeApiErrors } from "@/lib/api-field-errors";
import type { Session } from "@/lib/types";
import { ErrorBanner } from "./error-banner";
import { Button } from "./ui/button";
import { Field, TextInput } from "./ui/form-controls";

/** POST /api/v1/dev-token's body (and the preview's code), checked as the API checks it. */
const signInSchema = v.object({
  email: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, "Enter your email address."),
    v.email("An email address, like you@company.com."),
  ),
  name: v.pipe(v.string(), v.trim(), v.maxLength(200, "At most 200 characters.")),
  code: v.pipe(v.string(), v.trim(), v.maxLength(200, "At most 200 characters.")),
});

type SignInFields = v.InferInput<typeof signInSchema>;
type SignInValues = v.InferOutput<typeof signInSchema>;

/** POST /api/v1/dev-token: only answered by an API running with APP_ENV=dev or test. */
export function DevSignInForm({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState<unknown>(null);
  // Busy from the click until the page moves on (a success leaves it busy).
  const [busy, setBusy] = useState(false);
  const {
    register,
    handleSubmit,
    setError: setFieldError,
    formState: { errors },
  } = useForm<SignInFields, unknown, SignInValues>({
    resolver: standardSchemaResolver(signInSchema),
    mode: "onTouched",
    defaultValues: { email: "", name: "", code: "" },
  });

  const submit = handleSubmit(async ({ email, name, code }) => {
    setBusy(true);
    setError(null);
    try {
      const session = await signInWithDevToken(email, name || undefined, code || undefined);
      onSignedIn(session);
    } catch (err) {
      setError(
        isApiError(err) && err.status === 401
          ? new ApiError({
              code: err.code,
              status: 401,
              message: code
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
          : placeApiErrors(err, setFieldError, { email: "email", name: "name" }),
      );
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-labelledby="dev-sign-in-title">
      <div>
        <h2 id="dev-sign-in-title" className="text-sm font-semibold text-zinc-900">
          Developer sign-in
        </h2>
        <p className="mt-0.5 text-xs text-zinc-600">For local and test servers: sign in as any email address.</p>
      </div>
      <Field label="Email" htmlFor="dev-email" error={errors.email?.message}>
        <TextInput
          id="dev-email"
          type="email"
          autoComplete="email"
          required
          {...register("email")}
          placeholder="you@company.com"
        />
      </Field>
      <Field label="Name (optional)" htmlFor="dev-name" error={errors.name?.message}>
        <TextInput
          id="dev-name"
          autoComplete="name"
          maxLength={200}
          {...register("name")}
          placeholder="Ada Lovelace"
        />
      </Field>
      <Field
        label="Sign-in code (optional)"
        htmlFor="dev-code"
        error={errors.code?.message}
        hint="Deployed previews need their code (the stack secret’s DEV_SIGN_IN_CODE); local servers ask none."
      >
        <TextInput id="dev-code" autoComplete="off" spellCheck={false} maxLength={200} {...register("code")} />
      </Field>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <Button type="submit" variant="primary" busy={busy} className="w-full">
        Sign in
      </Button>
    </form>
  );
}
