"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { getCampaign, isApiError } from "@/lib/api";
import type { Campaign } from "@/lib/types";
import { AssetList } from "./asset-list";
import { CampaignDetails } from "./campaign-details";
import { CampaignStatusBadge } from "./campaign-status-badge";
import { CampaignStatusMenu } from "./campaign-status-menu";
import { ErrorBanner } from "./error-banner";
import { GenerateTextForm } from "./generate-text-form";
import { PageHeader } from "./page-header";
import { SuggestionsPanel } from "./suggestions-panel";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { EmptyState } from "./ui/empty-state";
import { LoadingRows, Skeleton } from "./ui/skeleton";

/** One campaign: its details and status, its assets, and the AI tools that write for it. */
export function CampaignOverview({ campaignId }: { campaignId: string }) {
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [assetsVersion, setAssetsVersion] = useState(0);

  const load = useCallback(async () => {
    try {
      setCampaign(await getCampaign(campaignId));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [campaignId]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!campaign) {
    if (isApiError(error) && error.status === 404) {
      return (
        <EmptyState title="Campaign not found">
          It may have been removed, or it belongs to another account.{" "}
          <Link href="/campaigns" className="font-medium text-indigo-700 hover:underline">
            Back to campaigns
          </Link>
        </EmptyState>
      );
    }
    if (error) {
      return <ErrorBanner error={error} action={<Button size="sm" onClick={() => void load()}>Try again</Button>} />;
    }
    return (
      <div className="space-y-6">
        <Skeleton className="h-8 w-64" />
        <LoadingRows rows={3} label="Loading campaign" />
      </div>
    );
  }

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/campaigns" className="hover:text-zinc-800">
            ← Campaigns
          </Link>
        }
        title={
          <span className="flex flex-wrap items-center gap-3">
            {campaign.name}
            <CampaignStatusBadge status={campaign.status} />
          </span>
        }
        actions={<CampaignStatusMenu campaign={campaign} onChanged={setCampaign} onStale={() => void load()} />}
      />

      <div className="space-y-6">
        <Card>
          <CampaignDetails campaign={campaign} />
        </Card>

        <div className="grid gap-6 lg:grid-cols-5">
          <div className="space-y-6 lg:col-span-3">
            <Card
              title="Generate copy"
              titleId="generate-copy-title"
              description="Written for this campaign’s objective, audience and voice. 1 credit per variant."
            >
              <GenerateTextForm
                campaignId={campaign.id}
                onGenerated={() => {
                  setAssetsVersion((n) => n + 1);
                  void load();
                }}
              />
            </Card>
            <Card
              title="Assets"
              titleId="campaign-assets-title"
              description={`${campaign.asset_count} in this campaign`}
              actions={
                <Link href={`/assets?campaign_id=${campaign.id}`} className="text-sm font-medium text-indigo-700 hover:underline">
                  Open in asset library
                </Link>
              }
            >
              <AssetList
                campaignId={campaign.id}
                reloadToken={assetsVersion}
                emptyTitle="No assets in this campaign yet"
                emptyHint="Generate copy above to create the first ones."
              />
            </Card>
          </div>
          <div className="lg:col-span-2">
            <Card title="Suggestions" titleId="suggestions-title" description="Quick ideas to copy: headlines, CTAs, hashtags, angles.">
              <SuggestionsPanel campaignId={campaign.id} />
            </Card>
          </div>
        </div>
      </div>
    </>
  );
}
