"use client";

import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { useSession } from "./session-provider";
import { Spinner } from "./ui/spinner";

/** Shows the dashboard only with a session; without one, on to /login. */
export function DashboardGuard({ children }: { children: ReactNode }) {
  const router = useRouter();
  const { status } = useSession();

  useEffect(() => {
    if (status === "signed-out") router.replace("/login");
  }, [status, router]);

  if (status !== "signed-in") {
    return (
      <div role="status" className="flex min-h-screen items-center justify-center gap-2 text-sm text-zinc-500">
        <Spinner />
        {status === "loading" ? "Loading…" : "Redirecting to sign in…"}
      </div>
    );
  }
  return <>{children}</>;
}
