import type { Metadata } from "next";
import { BalanceCard } from "@/components/balance-card";
import { BuyCredits } from "@/components/buy-credits";
import { LedgerTable } from "@/components/ledger-table";
import { OwedNotice } from "@/components/owed-notice";
import { PageHeader } from "@/components/page-header";
import { UsageChart } from "@/components/usage-chart";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Credits" };

export default function CreditsPage() {
  return (
    <>
      <PageHeader
        title="Credits"
        description="Your balance, what you spent it on, and every ledger entry."
        actions={
          <a
            href="#buy-credits"
            className="inline-flex h-9 items-center rounded-md bg-indigo-600 px-3.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-500"
          >
            Buy credits
          </a>
        }
      />
      <div className="mb-6 empty:hidden">
        <OwedNotice />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <BalanceCard />
        <Card title="Usage, last 30 days" titleId="usage-title" className="lg:col-span-2">
          <UsageChart days={30} />
        </Card>
      </div>
      <div id="buy-credits" className="scroll-mt-6">
        <Card title="Buy credits" titleId="buy-credits-title" className="mt-6" description="One-time packs; credits never expire.">
          <BuyCredits />
        </Card>
      </div>
      <Card title="Ledger" titleId="ledger-title" className="mt-6">
        <LedgerTable />
      </Card>
    </>
  );
}
