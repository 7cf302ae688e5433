"use client";

import { useEffect, useState } from "react";
import { useSession } from "@/components/session-provider";
import {
  editAsset,
  getAsset,
  getCampaign,
  getJob,
  isApiError,
  isImageJobAccepted,
  redoAsset,
  refineAsset,
  regenerateAsset,
  undoAsset,
} from "./api";
import type { Asset, AssetUpdate, AssetVersion, Job, RefineRequest, RegenerateRequest } from "./types";
import { useApiResource } from "./use-api-resource";
import { usePaidCall } from "./use-paid-call";

export type WorkspaceAction = "save" | "undo" | "redo" | "refine" | "regenerate" | "restore" | "reload";

const POLL_MS = 2000;

function jobEnded(job: Job): boolean {
  return job.status !== "queued" && job.status !== "running";
}

/**
 * The state and actions of one asset's page (components/asset-workspace.tsx is the view): the
 * asset, one action at a time, its outcome (a notice, an error, a "changed elsewhere" conflict),
 * and, while an image is being painted, polling until it is ready or failed.
 */
export function useAssetWorkspace(assetId: string) {
  const { refreshBalance } = useSession();
  const resource = useApiResource(() => getAsset(assetId), [assetId]);
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
  const [staleEdit, setStaleEdit] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  /** The image job started here (regenerate), when there is one to watch. */
  const [jobId, setJobId] = useState<string | null>(null);
  const payRefine = usePaidCall();
  const payRegenerate = usePaidCall();

  // An image still being painted: look again every few seconds until it is ready or failed.
  // Any change of the asset (an action's answer, a poll's) ends this round of polling, so an
  // answer still in flight cannot replace a newer asset.
  const pending = asset?.status === "pending";
  const stamp = asset ? `${asset.current_version}:${asset.latest_version}:${asset.updated_at}:${asset.status}` : "";
  useEffect(() => {
    if (!pending) return;
    let cancelled = false;
    let timer: number | undefined;

    async function check(): Promise<void> {
      let job: Job | null = null;
      if (jobId) {
        try {
          job = await getJob(jobId);
        } catch {
          // The job cannot be read (not served yet, gone, unreachable): from now on watch the
          // asset alone, whose status also ends pending (and a failed one is refunded too).
          if (!cancelled) setJobId(null);
        }
        if (cancelled || (job && !jobEnded(job))) return;
      }
      const next = await getAsset(assetId);
      if (cancelled || (next.status === "pending" && !job)) return;
      if (job) setJobId(null);
      setAsset(next);
      // A failed or timed-out job was refunded by the server.
      if (job?.status === "failed" || job?.status === "timed_out" || next.status === "failed") void refreshBalance();
    }

    const tick = () => {
      check()
        .catch(() => {
          // A failed look is tried again at the next tick.
        })
        .finally(() => {
          if (!cancelled) timer = window.setTimeout(tick, POLL_MS);
        });
    };
    timer = window.setTimeout(tick, POLL_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [pending, stamp, assetId, jobId, setAsset, refreshBalance]);

  /** Run one action at a time; the asset it answers becomes the one shown. */
  async function run(action: WorkspaceAction, call: () => Promise<Asset>, done: (a: Asset) => string): Promise<boolean> {
    setBusy(action);
    setError(null);
    setStaleEdit(false);
    setNotice(null);
    try {
      const next = await call();
      setAsset(next);
      setNotice(done(next));
      return true;
    } catch (err) {
      setError(err);
      // Save and restore send If-Match: a 409 means someone else changed the asset meanwhile.
      if ((action === "save" || action === "restore") && isApiError(err) && err.status === 409) setStaleEdit(true);
      return false;
    } finally {
      setBusy(null);
    }
  }

  // The actions below act on the asset shown; the view offers them only once it is there.
  function save(update: AssetUpdate): void {
    if (!asset) return;
    const { id, current_version } = asset;
    void run("save", () => editAsset(id, update, current_version), (a) => `Saved as version ${a.current_version}.`);
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
        // An image is painted in the background: show it as pending and poll.
        setJobId(answer.job.id);
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
    ).finally(() => setRestoring(null));
  }

  /** After a conflict: the asset as it is now (unsaved edits are replaced). */
  function reload(): void {
    if (!asset) return;
    const { id } = asset;
    void run("reload", () => getAsset(id), (a) => `Reloaded: version ${a.current_version} is current.`);
  }

  function dismissError(): void {
    setError(null);
    setStaleEdit(false);
  }

  return {
    resource,
    asset,
    campaignName: campaign?.name ?? null,
    pending,
    busy,
    restoring,
    error,
    staleEdit,
    notice,
    save,
    undo,
    redo,
    refine,
    regenerate,
    restore,
    reload,
    dismissError,
  };
}
