import { VERSION_SOURCE_LABELS } from "@/lib/format";
import type { VersionSource } from "@/lib/types";
import { Badge, type BadgeTone } from "./ui/badge";

const TONE: Record<VersionSource, BadgeTone> = {
  manual: "neutral",
  ai_generate: "accent",
  ai_refine: "violet",
  ai_regenerate: "blue",
};

export function VersionSourceBadge({ source }: { source: VersionSource }) {
  return <Badge tone={TONE[source]}>{VERSION_SOURCE_LABELS[source] ?? source}</Badge>;
}
