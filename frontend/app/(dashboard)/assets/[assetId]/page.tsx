import type { Metadata } from "next";
import { AssetWorkspace } from "@/components/asset-workspace";
import { readAsset } from "@/lib/server-read";

type Props = { params: Promise<{ assetId: string }> };

/** Named after the asset when the server could read it (the browser names it otherwise). */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const asset = await readAsset((await params).assetId);
  return { title: asset?.title ?? "Asset" };
}

export default async function AssetPage({ params }: Props) {
  const { assetId } = await params;
  // Read before the first byte is sent, not streamed in after it: React reveals a streamed
  // boundary no sooner than 300 ms after the first paint, so the record (the page's largest
  // paint) would wait for that too. The read is capped (lib/server-read.ts); without it the
  // browser reads the record itself.
  const asset = await readAsset(assetId);
  return <AssetWorkspace assetId={assetId} initialAsset={asset ?? undefined} />;
}
