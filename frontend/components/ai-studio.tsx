"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { formatCredits } from "@/lib/numbers";
import { rememberImageJob } from "@/lib/image-job-memory";
import { useAfterPaint } from "@/lib/use-after-paint";
import { useCampaignChoices } from "@/lib/use-campaign-choices";
import { useStudioJobs } from "@/lib/use-studio-jobs";
import { GenerateImageForm } from "./generate-image-form";
import { GenerateTextForm } from "./generate-text-form";
import { ImageJobList } from "./image-job-list";
import { PageHeader } from "./page-header";
import { useSession } from "./session-provider";
import { Card } from "./ui/card";
import { Label, Select } from "./ui/form-controls";
import { LoadingRows } from "./ui/skeleton";

const TITLE = "AI studio";
const DESCRIPTION =
  "Write copy and paint images, for a campaign or on their own. Everything made here lands in the asset library.";

/** The studio's heading and placeholder rows: from the server, and until the session is read. */
export function AiStudioLoading() {
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <LoadingRows rows={5} label="Loading the AI studio" />
    </>
  );
}

/**
 * The AI studio: images and copy in one place, for a campaign (the URL's `campaign_id`, so a
 * campaign page can link here) or for none. Images started here are listed with their progress,
 * and followed again after a reload. Render it inside <Suspense> (it reads the URL).
 */
export function AiStudio() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const campaignId = searchParams.get("campaign_id") || null;
  const { campaigns, open, isArchived, names } = useCampaignChoices();
  // A link to an archived campaign's studio: it stays named in the picker, but nothing is made for it.
  const archived = isArchived(campaignId);
  const { status, user, prices } = useSession();
  const studio = useStudioJobs(user?.id ?? null);
  // The copy form and the images mount the frame after the image form has been painted: React
  // inserts the studio in two commits (and the browser lays it out twice), not one long task.
  const painted = useAfterPaint(status !== "loading");

  // The page reads its URL in the browser, so React renders the studio there, in one piece at
  // hydration unless it waits: until the session is read (a transition, see SessionProvider) the
  // server's placeholder stays, and the forms then render in slices, already signed in.
  if (status === "loading") return <AiStudioLoading />;

  function chooseCampaign(id: string | null): void {
    router.replace(id ? `${pathname}?campaign_id=${encodeURIComponent(id)}` : pathname, { scroll: false });
  }

  return (
    <>
      <PageHeader
        title={TITLE}
        description={DESCRIPTION}
        actions={
          <div className="flex items-center gap-2">
            <Label htmlFor="studio-campaign" className="text-zinc-600">
              Campaign
            </Label>
            <Select
              id="studio-campaign"
              className="w-56"
              value={campaignId ?? ""}
              onChange={(e) => chooseCampaign(e.target.value || null)}
            >
              <option value="">No campaign</option>
              {campaignId && !names[campaignId] ? <option value={campaignId}>This campaign</option> : null}
              {campaignId && archived ? <option value={campaignId}>{names[campaignId]} (archived)</option> : null}
              {open.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </div>
        }
      />

      <div className="grid gap-6 lg:grid-cols-5">
        <div className="space-y-6 lg:col-span-3">
          {archived ? (
            <Card title="Archived campaign" titleId="studio-archived-title">
              <p className="text-sm text-zinc-600">
                This campaign is archived; its assets stay readable. To write copy or paint images, pick another
                campaign above, or No campaign.
              </p>
            </Card>
          ) : (
            <>
              <Card
                title="Image"
                titleId="studio-image-title"
                description={`Painted by SDXL in the background; you can leave this page meanwhile.${
                  prices ? ` ${formatCredits(prices.image)} per image.` : ""
                }`}
              >
                <GenerateImageForm
                  campaignId={campaignId}
                  onStarted={(accepted, asked) => {
                    studio.add(accepted, asked);
                    rememberImageJob(accepted.asset_id, { jobId: accepted.job.id, credits: accepted.credits_charged });
                  }}
                />
              </Card>
              <Card
                title="Copy"
                titleId="studio-copy-title"
                description={`Headlines, ad copy, posts and emails${
                  campaignId ? ", in the campaign’s voice" : ""
                }.${prices ? ` ${formatCredits(prices.text)} per variant.` : ""}`}
              >
                {painted ? (
                  <GenerateTextForm
                    campaignId={campaignId}
                    campaignChannels={campaigns.find((c) => c.id === campaignId)?.channels}
                  />
                ) : (
                  <LoadingRows rows={5} label="Loading the copy form" />
                )}
              </Card>
            </>
          )}
        </div>
        <div className="lg:col-span-2">
          <Card title="Images" titleId="studio-images-title" description="Started here, newest first.">
            {painted ? (
              <ImageJobList jobs={studio.jobs} onDismiss={studio.remove} />
            ) : (
              <LoadingRows rows={2} label="Loading images" />
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
