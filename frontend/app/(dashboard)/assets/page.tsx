import type { Metadata } from "next";
import { Suspense } from "react";
import { AssetBrowser } from "@/components/asset-browser";
import { RouteLoading } from "@/components/route-loading";

export const metadata: Metadata = { title: "Assets" };

export default function AssetsPage() {
  return (
    <Suspense fallback={<RouteLoading label="Loading assets" />}>
      <AssetBrowser />
    </Suspense>
  );
}
