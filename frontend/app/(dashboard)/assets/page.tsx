import type { Metadata } from "next";
import { AssetBrowser } from "@/components/asset-browser";
import type { AssetKind } from "@/lib/types";

export const metadata: Metadata = { title: "Assets" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function single(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v ? v : null;
}

export default async function AssetsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const kind = single(params.kind);
  return (
    <AssetBrowser
      initialKind={kind === "text" || kind === "image" ? (kind as AssetKind) : null}
      initialCampaignId={single(params.campaign_id)}
    />
  );
}
