import type { Metadata } from "next";
import { BalanceCard } from "@/components/balance-card";
import { LedgerTable } from "@/components/ledger-table";
import { PageHeader } from "@/components/page-header";
import { UsageChart } from "@/components/usage-chart";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Credits" };

export default function CreditsPage() {
  return (
    <>
      <PageHeader title="Credits" description="Your balance, what you spent it on, and every ledger entry." />
      <div className="grid gap-6 lg:grid-cols-3">
        <BalanceCard />
        <Card title="Usage, last 30 days" titleId="usage-title" className="lg:col-span-2">
          <UsageChart days={30} />
        </Card>
      </div>
      <Card title="Ledger" titleId="ledger-title" className="mt-6">
        <LedgerTable />
      </Card>
    </>
  );
}
