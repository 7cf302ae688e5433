import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Checkout cancelled" };

export default function PurchaseCancelledPage() {
  return (
    <>
      <PageHeader title="Checkout cancelled" description="Nothing was charged and your balance is unchanged." />
      <Card>
        <Link href="/credits#buy-credits" className="text-sm font-medium text-indigo-700 underline underline-offset-2">
          Back to the credit packs
        </Link>
      </Card>
    </>
  );
}
