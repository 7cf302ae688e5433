"use client";

import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { loginPath } from "@/lib/return-path";
import { useSession } from "./session-provider";
import { Spinner } from "./ui/spinner";

/**
 * The dashboard's pages render from the server on (their data components wait for the session
 * themselves); without a session, the page gives way to a notice and goes on to /login, which
 * comes back here once signed in (unless the marketer signed out here).
 */
export function DashboardGuard({ children }: { children: ReactNode }) {
  const router = useRouter();
  const { status, signedOutHere } = useSession();

  useEffect(() => {
    if (status !== "signed-out") return;
    router.replace(signedOutHere ? "/login" : loginPath(window.location.pathname + window.location.search));
  }, [status, signedOutHere, router]);

  if (status === "signed-out") {
    return (
      <div role="status" className="flex min-h-[50vh] items-center justify-center gap-2 text-sm text-zinc-600">
        <Spinner />
        Redirecting to sign in…
      </div>
    );
  }
  return <>{children}</>;
}
