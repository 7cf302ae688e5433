"use client";

import { useEffect, useState } from "react";
import { listCampaigns } from "./api";
import type { Campaign } from "./types";

/** The user's campaigns (the newest 100), for pickers and for naming an asset's campaign. */
export function useCampaignChoices() {
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    listCampaigns({ limit: 100 }).then(
      (page) => {
        if (!cancelled) setCampaigns(page.items);
      },
      (err: unknown) => {
        if (!cancelled) setError(err);
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const names: Record<string, string> = {};
  for (const c of campaigns) names[c.id] = c.name;
  return { campaigns, names, error };
}
