import type { Metadata } from "next";
import { CampaignOverview } from "@/components/campaign-overview";

export const metadata: Metadata = { title: "Campaign" };

export default async function CampaignPage({ params }: { params: Promise<{ campaignId: string }> }) {
  const { campaignId } = await params;
  return <CampaignOverview campaignId={campaignId} />;
}
