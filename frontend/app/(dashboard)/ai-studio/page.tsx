import type { Metadata } from "next";
import { AiStudio } from "@/components/ai-studio";

export const metadata: Metadata = { title: "AI studio" };

// Rendered per request (as the detail pages are), so the studio reads its URL's query on the
// server too and its first screen comes in the HTML rather than being inserted by the browser.
// Not by awaiting anything: a page that suspends is streamed behind loading.tsx's skeleton and
// revealed later, and its heading (the largest paint) with it.
export const dynamic = "force-dynamic";

export default function AiStudioPage() {
  return <AiStudio />;
}
