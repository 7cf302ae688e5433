import { CAMPAIGN_STATUS_LABELS } from "@/lib/format";
import type { CampaignStatus } from "@/lib/types";
import { Badge, type BadgeTone } from "./ui/badge";

const TONE: Record<CampaignStatus, BadgeTone> = {
  draft: "neutral",
  active: "green",
  paused: "amber",
  completed: "blue",
  archived: "neutral",
};

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return <Badge tone={TONE[status]}>{CAMPAIGN_STATUS_LABELS[status]}</Badge>;
}
