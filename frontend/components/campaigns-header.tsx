"use client";

import { useRouter } from "next/navigation";
import { useInlineForm } from "@/lib/use-inline-form";
import { lazyComponent } from "./lazy-component";
import { PageHeader } from "./page-header";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { LoadingRows } from "./ui/skeleton";

// Closed until "New campaign": its code (the form library and its checks, ~20 kB gzip) is not
// part of the list's first load. Pointing at or focusing the button starts fetching it.
const loadForm = () => import("./campaign-form").then((m) => m.CampaignForm);
const CampaignForm = lazyComponent(loadForm, <LoadingRows rows={6} label="Loading the form" />);
const preloadForm = () => void loadForm();

/** The page title with "New campaign", which opens the form; a created campaign opens on its own page. */
export function CampaignsHeader() {
  const router = useRouter();
  const form = useInlineForm("new-campaign-button");

  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Plan a campaign, then let the AI write its copy."
        actions={
          form.open ? null : (
            <Button
              id="new-campaign-button"
              variant="primary"
              onClick={form.show}
              onPointerEnter={preloadForm}
              onFocus={preloadForm}
            >
              <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
                <path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" />
              </svg>
              New campaign
            </Button>
          )
        }
      />
      {form.open ? (
        <div {...form.panelProps}>
        <Card
          title="New campaign"
          titleId="new-campaign-title"
          description="The AI uses these details to tailor its copy."
          className="mb-6"
        >
          <CampaignForm
            onSaved={(campaign) => router.push(`/campaigns/${campaign.id}`)}
            onCancel={form.hide}
          />
        </Card>
        </div>
      ) : null}
    </>
  );
}
