"use client";

import { listCampaigns } from "./api";
import { useApiResource } from "./use-api-resource";

/**
 * The user's campaigns (the newest 100), for filters and for naming an asset's campaign;
 * `open`, those not archived, for pickers of where new work goes (nothing is made for an
 * archived campaign); `ready` once they were read (or could not be).
 */
export function useCampaignChoices() {
  const { data, error } = useApiResource(() => listCampaigns({ limit: 100 }), []);
  const campaigns = data?.items ?? [];
  const open = campaigns.filter((c) => c.status !== "archived");
  const names: Record<string, string> = {};
  for (const c of campaigns) names[c.id] = c.name;
  return { campaigns, open, names, error, ready: data !== null || error !== null };
}
