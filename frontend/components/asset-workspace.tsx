"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import {
  editAsset,
  getAsset,
  getCampaign,
  isApiError,
  isImageJobAccepted,
  newIdempotencyKey,
  redoAsset,
  refineAsset,
  regenerateAsset,
  undoAsset,
} from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import type { Asset, AssetUpdate, AssetVersion } from "@/lib/types";
import { AiRewritePanel } from "./ai-rewrite-panel";
import { AssetEditor } from "./asset-editor";
import { AssetKindBadge, AssetStatusBadge } from "./asset-badges";
import { ErrorBanner } from "./error-banner";
import { PageHeader } from "./page-header";
import { useSession } from "./session-provider";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { EmptyState } from "./ui/empty-state";
import { LoadingRows, Skeleton } from "./ui/skeleton";
import { Spinner } from "./ui/spinner";
import { VersionControls } from "./version-controls";
import { VersionTimeline } from "./version-timeline";

type Action = "save" | "undo" | "redo" | "refine" | "regenerate" | "restore" | "reload";

const POLL_MS = 2000;

/** One asset: its current version in the editor, undo/redo, AI rewrites and the history. */
export function AssetWorkspace({ assetId }: { assetId: string }) {
  const { refreshBalance } = useSession();
  const [asset, setAsset] = useState<Asset | null>(null);
  const [campaignName, setCampaignName] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [busy, setBusy] = useState<Action | null>(null);
  const [restoring, setRestoring] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [staleEdit, setStaleEdit] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);

  const load = useCallback(async () => {
    try {
      setAsset(await getAsset(assetId));
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    }
  }, [assetId]);

  useEffect(() => {
    void load();
  }, [load]);

  // The campaign's name for the header link.
  const campaignId = asset?.campaign_id ?? null;
  useEffect(() => {
    if (!campaignId) return;
    let cancelled = false;
    getCampaign(campaignId).then(
      (c) => !cancelled && setCampaignName(c.name),
      () => !cancelled && setCampaignName(null),
    );
    return () => {
      cancelled = true;
    };
  }, [campaignId]);

  // An image still being painted: look again every few seconds until it is ready or failed.
  const pending = asset?.status === "pending";
  useEffect(() => {
    if (!pending) return;
    const timer = window.setInterval(() => {
      getAsset(assetId).then(
        (a) => {
          if (a.status !== "pending") setAsset(a);
        },
        () => {},
      );
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [pending, assetId]);

  /** Run one action at a time; the asset it answers becomes the one shown. */
  async function run(
    action: Action,
    call: () => Promise<Asset | null>,
    options: { spends?: boolean; done?: (a: Asset) => string } = {},
  ): Promise<boolean> {
    setBusy(action);
    setError(null);
    setStaleEdit(false);
    setNotice(null);
    try {
      const next = await call();
      if (next) {
        setAsset(next);
        if (options.done) setNotice(options.done(next));
      }
      return true;
    } catch (err) {
      setError(err);
      if (action === "save" && isApiError(err) && err.status === 409) setStaleEdit(true);
      return false;
    } finally {
      setBusy(null);
      if (options.spends) void refreshBalance();
    }
  }

  if (!asset) {
    if (isApiError(loadError) && loadError.status === 404) {
      return (
        <EmptyState title="Asset not found">
          It may belong to another account.{" "}
          <Link href="/assets" className="font-medium text-indigo-700 hover:underline">
            Back to assets
          </Link>
        </EmptyState>
      );
    }
    if (loadError) {
      return <ErrorBanner error={loadError} action={<Button size="sm" onClick={() => void load()}>Try again</Button>} />;
    }
    return (
      <div className="space-y-6">
        <Skeleton className="h-8 w-72" />
        <LoadingRows rows={6} label="Loading asset" />
      </div>
    );
  }

  const current = asset;
  const save = (update: AssetUpdate) =>
    void run("save", () => editAsset(current.id, update, current.current_version), {
      done: (a) => `Saved as version ${a.current_version}.`,
    });
  const undo = () =>
    void run("undo", () => undoAsset(current.id), { done: (a) => `Back to version ${a.current_version}.` });
  const redo = () =>
    void run("redo", () => redoAsset(current.id), { done: (a) => `Forward to version ${a.current_version}.` });
  const refine = (instruction: string) =>
    run("refine", () => refineAsset({ asset_id: current.id, instruction }, newIdempotencyKey()), {
      spends: true,
      done: (a) => `Refined: version ${a.current_version}.`,
    });
  const regenerate = () =>
    void run(
      "regenerate",
      async () => {
        const answer = await regenerateAsset({ asset_id: current.id }, newIdempotencyKey());
        // An image is painted in the background: show it as pending and poll.
        return isImageJobAccepted(answer) ? getAsset(current.id) : answer;
      },
      {
        spends: true,
        done: (a) => (a.status === "pending" ? "Regenerating the image…" : `Regenerated: version ${a.current_version}.`),
      },
    );
  const restore = (version: AssetVersion) => {
    setRestoring(version.version);
    const update: AssetUpdate = { content: version.content };
    if (version.title && version.title !== current.title) update.title = version.title;
    void run("restore", () => editAsset(current.id, update, current.current_version), {
      done: (a) => `Restored version ${version.version} as version ${a.current_version}.`,
    }).finally(() => setRestoring(null));
  };
  const reload = () =>
    void run("reload", () => getAsset(current.id), { done: (a) => `Reloaded: version ${a.current_version} is current.` });

  const locked = busy !== null;
  const versionKey = `${asset.current_version}:${asset.latest_version}:${asset.updated_at}:${asset.status}`;

  return (
    <>
      <PageHeader
        eyebrow={
          <span className="flex flex-wrap items-center gap-x-2">
            <Link href="/assets" className="hover:text-zinc-800">
              ← Assets
            </Link>
            {asset.campaign_id ? (
              <>
                <span aria-hidden="true">/</span>
                <Link href={`/campaigns/${asset.campaign_id}`} className="hover:text-zinc-800">
                  {campaignName ?? "Campaign"}
                </Link>
              </>
            ) : null}
          </span>
        }
        title={asset.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <AssetKindBadge asset={asset} />
            <AssetStatusBadge status={asset.status} />
            <span>Created {formatDateTime(asset.created_at)}</span>
          </span>
        }
      />

      <div className="grid gap-6 lg:grid-cols-5">
        <div className="space-y-6 lg:col-span-3">
          {asset.kind === "image" ? (
            <Card title="Image" titleId="asset-image-title">
              {asset.status === "pending" ? (
                <p role="status" className="flex items-center gap-2 text-sm text-zinc-600">
                  <Spinner /> The image is being generated; this page updates when it is ready.
                </p>
              ) : asset.storage_url ? (
                <img
                  src={asset.storage_url}
                  alt={asset.title}
                  className="mx-auto max-h-[32rem] rounded-md border border-zinc-200 bg-zinc-50"
                />
              ) : (
                <p className="text-sm text-zinc-500">No image stored for this version.</p>
              )}
            </Card>
          ) : null}

          <Card title={asset.kind === "image" ? "Details" : "Editor"} titleId="asset-editor-title">
            <div className="space-y-4">
              <AssetEditor
                key={versionKey}
                asset={asset}
                saving={busy === "save"}
                disabled={locked}
                onSave={save}
                onDirtyChange={setDirty}
                toolbar={
                  <VersionControls
                    asset={asset}
                    busy={busy === "undo" || busy === "redo" ? busy : null}
                    disabled={locked}
                    onUndo={undo}
                    onRedo={redo}
                  />
                }
              />
              {notice ? (
                <p role="status" className="text-sm text-emerald-700">
                  {notice}
                </p>
              ) : null}
              <ErrorBanner
                error={error}
                onDismiss={() => {
                  setError(null);
                  setStaleEdit(false);
                }}
                action={
                  staleEdit ? (
                    <div className="flex flex-wrap items-center gap-3">
                      <span>Someone else changed this asset since you opened it. Reload to see the latest version (your unsaved edits will be replaced).</span>
                      <Button size="sm" onClick={reload} busy={busy === "reload"}>
                        Reload
                      </Button>
                    </div>
                  ) : null
                }
              />
            </div>
          </Card>

          <Card
            title="Rewrite with AI"
            titleId="asset-ai-title"
            description={
              dirty
                ? "You have unsaved changes: AI rewrites, Undo and Redo work on the saved version and replace them."
                : "Each rewrite becomes a new version; Undo takes you back."
            }
          >
            <AiRewritePanel
              asset={asset}
              busy={busy === "refine" || busy === "regenerate" ? busy : null}
              disabled={locked}
              onRefine={refine}
              onRegenerate={regenerate}
            />
          </Card>
        </div>

        <div className="lg:col-span-2">
          <Card title="Version history" titleId="asset-versions-title" description="Newest first. Undo and Redo move between them.">
            <VersionTimeline
              assetId={asset.id}
              reloadKey={versionKey}
              disabled={locked}
              restoring={restoring}
              onRestore={restore}
            />
          </Card>
        </div>
      </div>
    </>
  );
}
