"use client";

import { useState } from "react";
import { useSessionActions } from "@/components/session-provider";
import {
  editAsset,
  getAsset,
  getCampaign,
  isApiError,
  isImageJobAccepted,
  redoAsset,
  refineAsset,
  regenerateAsset,
  undoAsset,
} from "./api";
import { imageMetadataOf } from "./image-assets";
import { forgetImageJob, rememberedImageJob, rememberImageJob } from "./image-job-memory";
import type { Asset, AssetUpdate, AssetVersion, Job, RefineRequest, RegenerateRequest } from "./types";
import { useApiResource } from "./use-api-resource";
import { jobFailed, useImageWatch } from "./use-image-watch";
import { useKeptFocus } from "./use-kept-focus";
import { usePaidCall } from "./use-paid-call";

export type WorkspaceAction = "save" | "undo" | "redo" | "refine" | "regenerate" | "restore" | "reload";

/** An image job that ended without a picture: the job (when read) and what it cost (refunded). */
export interface ImageFailure {
  job: Job | null;
  credits: number | null;
}

/**
 * The state and actions of one asset's page (components/asset-workspace.tsx is the view): the
 * asset, one action at a time, its outcome (a notice, an error, a "changed elsewhere" conflict),
 * and, while an image is being painted, its job followed (useImageWatch: after a reload too,
 * through the job id in the asset's metadata) until the asset is ready or failed.
 */
export function useAssetWorkspace(assetId: string, initialAsset?: Asset) {
  const { refreshBalance } = useSessionActions();
  const resource = useApiResource(() => getAsset(assetId), [assetId], initialAsset);
  const { data: asset, setData: setAsset } = resource;

  // The campaign's name for the header link.
  const campaignId = asset?.campaign_id ?? null;
  const { data: campaign } = useApiResource(
    () => (campaignId ? getCampaign(campaignId) : Promise.resolve(null)),
    [campaignId],
  );

  const [busy, setBusy] = useState<WorkspaceAction | null>(null);
  const [restoring, setRestoring] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** The save or restore the API refused because the asset changed meanwhile (409), to offer
   * saving it on top of that change; null otherwise. */
  const [refused, setRefused] = useState<AssetUpdate | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** The image job started here (regenerate) and what it cost, while it runs. */
  const [started, setStarted] = useState<{ jobId: string; credits: number } | null>(null);
  const [imageFailure, setImageFailure] = useState<ImageFailure | null>(null);
  const payRefine = usePaidCall();
  const payRegenerate = usePaidCall();
  const holdFocus = useKeptFocus();

  // An image being painted: follow its job, then take the asset as it ends up. Any other change
  // of the asset (an action's answer) drops what a look in flight read, so it cannot replace a
  // newer asset.
  const pending = asset?.status === "pending";
  const stamp = asset ? `${asset.current_version}:${asset.latest_version}:${asset.updated_at}:${asset.status}` : "";
  // The job painting it: started here, or (after a reload) remembered by this browser, or the
  // one in the asset's metadata (a first image's; useImageWatch drops it if it is an older one).
  const remembered = pending ? (started ?? rememberedImageJob(assetId)) : null;
  const { job } = useImageWatch({
    assetId,
    pending,
    jobId: remembered?.jobId ?? (asset ? imageMetadataOf(asset).jobId : null),
    restartKey: stamp,
    onSettled: (next, ended) => {
      const before = asset;
      const credits = remembered?.credits ?? null;
      setStarted(null);
      forgetImageJob(assetId);
      setAsset(next);
      // A regenerated image that failed leaves the asset ready at its old version.
      const failed =
        next.status === "failed" ||
        jobFailed(ended) ||
        (!ended && before !== null && before.current_version > 0 && next.current_version === before.current_version);
      if (failed) {
        // The server refunded the job.
        void refreshBalance();
        setImageFailure({ job: ended, credits });
        setNotice(null);
      } else {
        setNotice(`New image ready: version ${next.current_version}.`);
      }
    },
  });

  /** Run one action at a time; the asset it answers becomes the one shown. */
  async function run(
    action: WorkspaceAction,
    call: () => Promise<Asset>,
    done: (a: Asset) => string,
    update?: AssetUpdate,
  ): Promise<boolean> {
    const restoreFocus = holdFocus();
    setBusy(action);
    setError(null);
    setRefused(null);
    setNotice(null);
    setImageFailure(null);
    try {
      const next = await call();
      setAsset(next);
      setNotice(done(next));
      return true;
    } catch (err) {
      setError(err);
      // Save and restore send If-Match: a 409 means the asset changed meanwhile (another tab,
      // another person); `update` is what to offer saving on top.
      if (update && isApiError(err) && err.status === 409) setRefused(update);
      return false;
    } finally {
      setBusy(null);
      restoreFocus();
    }
  }

  // The actions below act on the asset shown; the view offers them only once it is there.
  function save(update: AssetUpdate): void {
    if (!asset) return;
    const { id, current_version } = asset;
    void run("save", () => editAsset(id, update, current_version), (a) => `Saved as version ${a.current_version}.`, update);
  }

  function undo(): void {
    if (!asset) return;
    const { id } = asset;
    void run("undo", () => undoAsset(id), (a) => `Back to version ${a.current_version}.`);
  }

  function redo(): void {
    if (!asset) return;
    const { id } = asset;
    void run("redo", () => redoAsset(id), (a) => `Forward to version ${a.current_version}.`);
  }

  /** Resolves true when the refined version arrived. */
  async function refine(instruction: string): Promise<boolean> {
    if (!asset) return false;
    const body: RefineRequest = { asset_id: asset.id, instruction };
    return run(
      "refine",
      () => payRefine(body, (key) => refineAsset(body, key)),
      (a) => `Refined: version ${a.current_version}.`,
    );
  }

  function regenerate(): void {
    if (!asset) return;
    const body: RegenerateRequest = { asset_id: asset.id };
    void run(
      "regenerate",
      async () => {
        const answer = await payRegenerate(body, (key) => regenerateAsset(body, key));
        if (!isImageJobAccepted(answer)) return answer;
        // An image is painted in the background: show it as pending and follow its job.
        const painting = { jobId: answer.job.id, credits: answer.credits_charged };
        rememberImageJob(body.asset_id, painting);
        setStarted(painting);
        return getAsset(body.asset_id);
      },
      (a) => (a.status === "pending" ? "Regenerating the image…" : `Regenerated: version ${a.current_version}.`),
    );
  }

  /** Save an older version's text (and title) as a new version; If-Match like a save. */
  function restore(version: AssetVersion): void {
    if (!asset) return;
    const { id, current_version, title } = asset;
    const update: AssetUpdate = { content: version.content };
    if (version.title && version.title !== title) update.title = version.title;
    setRestoring(version.version);
    void run(
      "restore",
      () => editAsset(id, update, current_version),
      (a) => `Restored version ${version.version} as version ${a.current_version}.`,
      update,
    ).finally(() => setRestoring(null));
  }

  /** After a conflict: the refused edit saved on top of the other change, which stays in the
   * history (no If-Match: it is the newest version, whatever came between). */
  function saveAnyway(): void {
    if (!asset || !refused) return;
    const { id } = asset;
    const update = refused;
    void run(
      "save",
      () => editAsset(id, update),
      (a) => `Saved yours as version ${a.current_version}; the other change is still in the history.`,
    );
  }

  /** After a conflict: the asset as it is now (unsaved edits are replaced). */
  function reload(): void {
    if (!asset) return;
    const { id } = asset;
    void run("reload", () => getAsset(id), (a) => `Reloaded: version ${a.current_version} is current.`);
  }

  function dismissError(): void {
    setError(null);
    setRefused(null);
    setImageFailure(null);
  }

  return {
    resource,
    asset,
    campaignName: campaign?.name ?? null,
    pending,
    job,
    imageFailure,
    busy,
    restoring,
    error,
    staleEdit: refused !== null,
    notice,
    save,
    saveAnyway,
    undo,
    redo,
    refine,
    regenerate,
    restore,
    reload,
    dismissError,
  };
}
