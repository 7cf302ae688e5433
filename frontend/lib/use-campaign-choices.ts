"use client";

import { listCampaigns } from "./api";
import { useApiResource } from "./use-api-resource";

/**
 * The user's campaigns (the newest 100), for filters and for naming an asset's campaign;
 * `open`, those not archived, for pickers of where new work goes (nothing is made for an
 * archived campaign), and `isArchived` for a campaign named elsewhere (a link's
 * `campaign_id`); `ready` once they were read (or could not be).
 */
export function useCampaignChoices() {
  const { data, error } = useApiResource(() => listCampaigns({ limit: 100 }), []);
  const campaigns = data?.items ?? [];
  const names: Record<string, string> = {};
  const archived = new Set<string>();
  for (const c of campaigns) {
    names[c.id] = c.name;
    if (c.status === "archived") archived.add(c.id);
  }
  const open = campaigns.filter((c) => !archived.has(c.id));
  const isArchived = (id: string | null) => id !== null && archived.has(id);
  return { campaigns, open, isArchived, names, error, ready: data !== null || error !== null };
}
