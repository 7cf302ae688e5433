import type { Metadata } from "next";
import { Suspense } from "react";
import { AiStudio } from "@/components/ai-studio";
import { RouteLoading } from "@/components/route-loading";

export const metadata: Metadata = { title: "AI studio" };

export default function AiStudioPage() {
  return (
    <Suspense fallback={<RouteLoading label="Loading the AI studio" />}>
      <AiStudio />
    </Suspense>
  );
}
