import type { Metadata } from "next";
import { Suspense } from "react";
import { AiStudio, AiStudioLoading } from "@/components/ai-studio";

export const metadata: Metadata = { title: "AI studio" };

export default function AiStudioPage() {
  return (
    // The page reads its URL's query in the browser: the server sends its heading meanwhile.
    <Suspense fallback={<AiStudioLoading />}>
      <AiStudio />
    </Suspense>
  );
}
