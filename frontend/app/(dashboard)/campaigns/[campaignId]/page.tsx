import type { Metadata } from "next";
import { CampaignOverview } from "@/components/campaign-overview";
import { readCampaign } from "@/lib/server-read";

type Props = { params: Promise<{ campaignId: string }> };

/** Named after the campaign when the server could read it (the browser names it otherwise). */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const campaign = await readCampaign((await params).campaignId);
  return { title: campaign?.name ?? "Campaign" };
}

export default async function CampaignPage({ params }: Props) {
  const { campaignId } = await params;
  // Read before the first byte is sent, not streamed in after it: React reveals a streamed
  // boundary no sooner than 300 ms after the first paint, so the record (the page's largest
  // paint) would wait for that too. The read is capped (lib/server-read.ts); without it the
  // browser reads the record itself.
  const campaign = await readCampaign(campaignId);
  return <CampaignOverview campaignId={campaignId} initialCampaign={campaign ?? undefined} />;
}
