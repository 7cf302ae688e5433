import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader } from "@/components/page-header";
import { PurchaseConfirmation } from "@/components/purchase-confirmation";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Credits bought" };

export default function PurchaseSuccessPage() {
  return (
    <>
      <PageHeader title="Thank you" description="Your payment went to Stripe; your credits follow its confirmation." />
      <Card>
        <Suspense>
          <PurchaseConfirmation />
        </Suspense>
      </Card>
    </>
  );
}
