import type { Metadata } from "next";
import { Suspense } from "react";
import { AssetBrowser } from "@/components/asset-browser";
import { PageHeader } from "@/components/page-header";
import { LoadingRows } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Assets" };

export default function AssetsPage() {
  return (
    // The page reads its URL's query in the browser: the server sends its heading meanwhile.
    <Suspense
      fallback={
        <>
          <PageHeader
            title="Assets"
            description="Every piece of copy and every image, with its full version history."
          />
          <LoadingRows rows={5} label="Loading assets" />
        </>
      }
    >
      <AssetBrowser />
    </Suspense>
  );
}
