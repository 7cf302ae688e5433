import type { Metadata } from "next";
import { CampaignTable } from "@/components/campaign-table";
import { CampaignsHeader } from "@/components/campaigns-header";

export const metadata: Metadata = { title: "Campaigns" };

export default function CampaignsPage() {
  return (
    <>
      <CampaignsHeader />
      <CampaignTable />
    </>
  );
}
