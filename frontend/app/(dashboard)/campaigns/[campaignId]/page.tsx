import type { Metadata } from "next";
import { Suspense } from "react";
import { CampaignOverview } from "@/components/campaign-overview";
import { ResourceSkeleton } from "@/components/resource-fallback";
import { readCampaign } from "@/lib/server-read";

type Props = { params: Promise<{ campaignId: string }> };

/** Named after the campaign when the server could read it (the browser names it otherwise). */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const campaign = await readCampaign((await params).campaignId);
  return { title: campaign?.name ?? "Campaign" };
}

/** The campaign as the server read it, in the first HTML; the browser reads it when it could not. */
async function ServerReadOverview({ campaignId }: { campaignId: string }) {
  const campaign = await readCampaign(campaignId);
  return <CampaignOverview campaignId={campaignId} initialCampaign={campaign ?? undefined} />;
}

export default async function CampaignPage({ params }: Props) {
  const { campaignId } = await params;
  // The header and layout are sent while the API answers: the skeleton the browser's own read shows.
  return (
    <Suspense fallback={<ResourceSkeleton label="Loading campaign" />}>
      <ServerReadOverview campaignId={campaignId} />
    </Suspense>
  );
}
