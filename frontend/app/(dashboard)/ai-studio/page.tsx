import type { Metadata } from "next";
import { Suspense } from "react";
import { AiStudio } from "@/components/ai-studio";
import { PageHeader } from "@/components/page-header";
import { LoadingRows } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "AI studio" };

export default function AiStudioPage() {
  return (
    // The page reads its URL's query in the browser: the server sends its heading meanwhile.
    <Suspense
      fallback={
        <>
          <PageHeader
            title="AI studio"
            description="Write copy and paint images, for a campaign or on their own. Everything made here lands in the asset library."
          />
          <LoadingRows rows={5} label="Loading the AI studio" />
        </>
      }
    >
      <AiStudio />
    </Suspense>
  );
}
