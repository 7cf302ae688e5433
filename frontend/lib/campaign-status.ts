import type { CampaignStatus } from "./types";

/** API.md's allowed transitions. Nothing leaves `archived`. */
export const NEXT_STATUSES: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ["active", "archived"],
  active: ["paused", "completed"],
  paused: ["active", "completed"],
  completed: ["archived"],
  archived: [],
};

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ["draft", "active", "paused", "completed", "archived"];

/** The button that moves a campaign from `from` to `to`. */
export function transitionLabel(from: CampaignStatus, to: CampaignStatus): string {
  switch (to) {
    case "active":
      return from === "paused" ? "Resume" : "Activate";
    case "paused":
      return "Pause";
    case "completed":
      return "Complete";
    case "archived":
      return "Archive";
    case "draft":
      return "Back to draft";
  }
}
