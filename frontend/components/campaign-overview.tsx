"use client";

import Link from "./ui/link";
import { useState } from "react";
import { getCampaign } from "@/lib/api";
import { formatCredits } from "@/lib/numbers";
import type { Campaign } from "@/lib/types";
import { useAfterPaint } from "@/lib/use-after-paint";
import { useInlineForm } from "@/lib/use-inline-form";
import { useApiResource } from "@/lib/use-api-resource";
import { useDocumentTitle } from "@/lib/use-document-title";
import { AssetList } from "./asset-list";
import { CampaignDetails } from "./campaign-details";
import { CampaignExport } from "./campaign-export";
import { CampaignStatusBadge } from "./campaign-status-badge";
import { CampaignStatusMenu } from "./campaign-status-menu";
import { lazyComponent } from "./lazy-component";
import { GenerateTextForm } from "./generate-text-form";
import { PageHeader } from "./page-header";
import { ResourceFallback } from "./resource-fallback";
import { useSession } from "./session-provider";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { LoadingRows } from "./ui/skeleton";

// Beside the page's main work, below it on a phone: loaded after the first paint's code. Its
// placeholder stands in both until the first paint and while its code loads.
const suggestionsLoading = <LoadingRows rows={3} label="Loading suggestions" />;
const SuggestionsPanel = lazyComponent(
  () => import("./suggestions-panel").then((m) => m.SuggestionsPanel),
  suggestionsLoading,
);

// Closed until "Edit details", as on the campaigns page: pointing at the button fetches it.
const loadForm = () => import("./campaign-form").then((m) => m.CampaignForm);
const CampaignForm = lazyComponent(loadForm, <LoadingRows rows={6} label="Loading the form" />);
const preloadForm = () => void loadForm();

/**
 * One campaign: its details and status, its assets, and the AI tools that write for it.
 * `initialCampaign`: the campaign as the server read it for the first HTML (read here otherwise).
 */
export function CampaignOverview({ campaignId, initialCampaign }: { campaignId: string; initialCampaign?: Campaign }) {
  const { prices } = useSession();
  const resource = useApiResource(() => getCampaign(campaignId), [campaignId], initialCampaign);
  const { data: campaign, setData: setCampaign, reload } = resource;
  const [assetsVersion, setAssetsVersion] = useState(0);
  useDocumentTitle(campaign?.name);
  // The form, the asset list and the suggestions (and their reads) mount once the campaign has
  // been painted: the header and the details card are the first screen.
  const painted = useAfterPaint(campaign !== null);
  // Nothing leaves archived: no new copy or images are made (and charged) for it.
  const archived = campaign?.status === "archived";
  const editing = useInlineForm("edit-campaign-button");

  if (!campaign) {
    return (
      <ResourceFallback
        resource={resource}
        notFoundTitle="Campaign not found"
        notFoundHint="It may have been removed, or it belongs to another account."
        backHref="/campaigns"
        backLabel="Back to campaigns"
        loadingLabel="Loading campaign"
      />
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
        actions={<CampaignStatusMenu campaign={campaign} onChanged={setCampaign} onStale={reload} />}
      />

      <div className="space-y-6">
        <Card>
          {editing.open && !archived ? (
            <div {...editing.panelProps}>
              <CampaignForm
                campaign={campaign}
                onSaved={(saved) => {
                  setCampaign(saved);
                  editing.hide();
                }}
                onCancel={editing.hide}
              />
            </div>
          ) : (
            <>
              <CampaignDetails campaign={campaign} />
              <div className="mt-5 flex flex-wrap items-start justify-between gap-3 border-t border-zinc-100 pt-4">
                <CampaignExport campaign={campaign} />
                {/* Archived is final: its details too. */}
                {archived ? null : (
                  <Button id="edit-campaign-button" size="sm" onClick={editing.show} onPointerEnter={preloadForm} onFocus={preloadForm}>
                    Edit details
                  </Button>
                )}
              </div>
            </>
          )}
        </Card>

        <div className="grid gap-6 lg:grid-cols-5">
          {/* min-w-0: a long asset title (truncated) must not widen the column past a phone */}
          <div className="min-w-0 space-y-6 lg:col-span-3">
            <Card
              title="Generate copy"
              titleId="generate-copy-title"
              actions={
                archived ? null : (
                  <Link
                    href={`/ai-studio?campaign_id=${campaign.id}`}
                    className="text-sm font-medium text-indigo-700 hover:underline"
                  >
                    Images in the AI studio
                  </Link>
                )
              }
              description={
                archived
                  ? undefined
                  : `Written for this campaign’s objective, audience and voice.${
                      prices ? ` ${formatCredits(prices.text)} per variant.` : ""
                    }`
              }
            >
              {archived ? (
                <p className="text-sm text-zinc-600">
                  This campaign is archived; its assets stay readable. To write copy or paint images, pick another
                  campaign in the{" "}
                  <Link href="/ai-studio" className="font-medium text-indigo-700 hover:underline">
                    AI studio
                  </Link>
                  .
                </p>
              ) : painted ? (
                <GenerateTextForm
                  campaignId={campaign.id}
                  campaignChannels={campaign.channels}
                  onGenerated={() => {
                    setAssetsVersion((n) => n + 1);
                    reload();
                  }}
                />
              ) : (
                <LoadingRows rows={5} label="Loading the form" />
              )}
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
              {painted ? (
                <AssetList
                  campaignId={campaign.id}
                  reloadToken={assetsVersion}
                  emptyTitle="No assets in this campaign yet"
                  emptyHint={archived ? "None were made before it was archived." : "Generate copy above to create the first ones."}
                />
              ) : (
                <LoadingRows rows={3} label="Loading assets" />
              )}
            </Card>
          </div>
          <div className="min-w-0 lg:col-span-2">
            <Card title="Suggestions" titleId="suggestions-title" description="Quick ideas to copy: headlines, CTAs, hashtags, angles.">
              {painted ? <SuggestionsPanel campaignId={campaign.id} /> : suggestionsLoading}
            </Card>
          </div>
        </div>
      </div>
    </>
  );
}
