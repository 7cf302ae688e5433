"use client";

import Link from "./ui/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { AssetKind } from "@/lib/types";
import { useCampaignChoices } from "@/lib/use-campaign-choices";
import { useInlineForm } from "@/lib/use-inline-form";
import { AssetList } from "./asset-list";
import { lazyComponent } from "./lazy-component";
import { PageHeader } from "./page-header";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { Label, Select } from "./ui/form-controls";
import { LoadingRows } from "./ui/skeleton";

// Closed until "New text asset": its code (the form library and its checks) is not part of
// the library's first load. Pointing at or focusing the button starts fetching it.
const loadForm = () => import("./asset-create-form").then((m) => m.AssetCreateForm);
const AssetCreateForm = lazyComponent(loadForm, <LoadingRows rows={3} label="Loading the form" />);
const preloadForm = () => void loadForm();

function parseKind(value: string | null): AssetKind | null {
  return value === "text" || value === "image" ? value : null;
}

/**
 * The asset library: filters (the URL's `kind` and `campaign_id`, so a view can be shared),
 * the list, and a blank text asset. Render it inside <Suspense> (it reads the URL).
 */
export function AssetBrowser() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const kind = parseKind(searchParams.get("kind"));
  const campaignId = searchParams.get("campaign_id") || null;
  const { campaigns, open, isArchived, names, ready } = useCampaignChoices();
  const form = useInlineForm("new-asset-button");
  const creating = form.open;

  function applyFilters(next: { kind: AssetKind | null; campaignId: string | null }) {
    const query = new URLSearchParams();
    if (next.kind) query.set("kind", next.kind);
    if (next.campaignId) query.set("campaign_id", next.campaignId);
    const qs = query.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  }

  const filtered = kind !== null || campaignId !== null;

  return (
    <>
      <PageHeader
        title="Assets"
        description="Every piece of copy and every image, with its full version history."
        actions={
          creating ? null : (
            <>
              <Link
                href={campaignId ? `/ai-studio?campaign_id=${encodeURIComponent(campaignId)}` : "/ai-studio"}
                className="inline-flex h-9 items-center rounded-md px-3.5 text-sm font-medium text-indigo-700 ring-1 ring-inset ring-indigo-200 hover:bg-indigo-50"
              >
                Open AI studio
              </Link>
              <Button
                id="new-asset-button"
                variant="primary"
                onClick={form.show}
                onPointerEnter={preloadForm}
                onFocus={preloadForm}
              >
                New text asset
              </Button>
            </>
          )
        }
      />

      {creating ? (
        <div {...form.panelProps}>
        <Card title="New text asset" titleId="new-asset-title-heading" className="mb-6">
          <AssetCreateForm
            campaigns={open}
            // Filtered to an archived campaign: new work goes to none unless another is picked.
            defaultCampaignId={isArchived(campaignId) ? null : campaignId}
            onCreated={(asset) => router.push(`/assets/${asset.id}`)}
            onCancel={form.hide}
          />
        </Card>
        </div>
      ) : null}

      <section aria-labelledby="asset-library-title" className="rounded-lg border border-zinc-200 bg-white shadow-sm">
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-100 px-5 py-3">
          <h2 id="asset-library-title" className="text-base font-semibold text-zinc-900">
            Library
          </h2>
          <div className="flex flex-wrap items-center gap-3">
            <div className="flex items-center gap-2">
              <Label htmlFor="asset-kind-filter" className="text-zinc-600">
                Kind
              </Label>
              <Select
                id="asset-kind-filter"
                className="w-32"
                value={kind ?? ""}
                onChange={(e) => applyFilters({ kind: (e.target.value || null) as AssetKind | null, campaignId })}
              >
                <option value="">All kinds</option>
                <option value="text">Text</option>
                <option value="image">Image</option>
              </Select>
            </div>
            <div className="flex items-center gap-2">
              <Label htmlFor="asset-campaign-filter" className="text-zinc-600">
                Campaign
              </Label>
              <Select
                id="asset-campaign-filter"
                className="w-52"
                value={campaignId ?? ""}
                onChange={(e) => applyFilters({ kind, campaignId: e.target.value || null })}
              >
                <option value="">All campaigns</option>
                {campaignId && !names[campaignId] ? <option value={campaignId}>This campaign</option> : null}
                {campaigns.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </Select>
            </div>
          </div>
        </div>
        <div className="px-5 py-3">
          <AssetList
            kind={kind}
            campaignId={campaignId}
            campaignNames={ready ? names : null}
            emptyTitle={filtered ? "No assets match these filters" : "No assets yet"}
            emptyHint={filtered ? "Try another kind or campaign." : "Make copy and images in the AI studio, or create a text asset."}
          />
        </div>
      </section>
    </>
  );
}
