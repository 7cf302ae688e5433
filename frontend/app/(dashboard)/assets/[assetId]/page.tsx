import type { Metadata } from "next";
import { Suspense } from "react";
import { AssetWorkspace } from "@/components/asset-workspace";
import { ResourceSkeleton } from "@/components/resource-fallback";
import { readAsset } from "@/lib/server-read";

type Props = { params: Promise<{ assetId: string }> };

/** Named after the asset when the server could read it (the browser names it otherwise). */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const asset = await readAsset((await params).assetId);
  return { title: asset?.title ?? "Asset" };
}

/** The asset as the server read it, in the first HTML; the browser reads it when it could not. */
async function ServerReadWorkspace({ assetId }: { assetId: string }) {
  const asset = await readAsset(assetId);
  return <AssetWorkspace assetId={assetId} initialAsset={asset ?? undefined} />;
}

export default async function AssetPage({ params }: Props) {
  const { assetId } = await params;
  // The header and layout are sent while the API answers: the skeleton the browser's own read shows.
  return (
    <Suspense fallback={<ResourceSkeleton label="Loading asset" rows={6} />}>
      <ServerReadWorkspace assetId={assetId} />
    </Suspense>
  );
}
