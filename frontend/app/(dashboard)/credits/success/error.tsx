"use client";

import { RouteError } from "@/components/route-error";

export default function ErrorPage({ error, retry, reset }: { error: unknown; retry?: () => void; reset?: () => void }) {
  return <RouteError error={error} retry={retry ?? reset} backHref="/credits" backLabel="Back to credits" />;
}
