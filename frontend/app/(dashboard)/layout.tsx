import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { DashboardGuard } from "@/components/dashboard-guard";

export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <DashboardGuard>
      <div className="flex min-h-screen flex-col">
        <AppHeader />
        <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 sm:px-6 lg:px-8">{children}</main>
      </div>
    </DashboardGuard>
  );
}
