import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { DashboardGuard } from "@/components/dashboard-guard";
import { SkipLink } from "@/components/skip-link";

/**
 * The header, the headings and the layout come from the server; only the data waits for the
 * browser's session (each page's data components show reserved skeletons meanwhile).
 */
export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <SkipLink />
      <AppHeader />
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 outline-none sm:px-6 lg:px-8">
        <DashboardGuard>{children}</DashboardGuard>
      </main>
    </div>
  );
}
