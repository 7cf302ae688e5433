"use client";

import Link from "./ui/link";
import { useState } from "react";
import { fileStem, saveBlob } from "@/lib/download";
import { imageAltText, imageFileName } from "@/lib/image-assets";
import { useAfterPaint } from "@/lib/use-after-paint";
import type { Asset, AssetVersion } from "@/lib/types";
import { useAssetWorkspace } from "@/lib/use-asset-workspace";
import { useDocumentTitle } from "@/lib/use-document-title";
import { useUnsavedChangesGuard } from "@/lib/use-unsaved-changes-guard";
import { AssetEditor } from "./asset-editor";
import { AssetKindBadge, AssetStatusBadge } from "./asset-badges";
import { CopyButton } from "./copy-button";
import { DateTimeText } from "./date-time-text";
import { lazyComponent } from "./lazy-component";
import { ErrorBanner } from "./error-banner";
import { PageHeader } from "./page-header";
import { ResourceFallback } from "./resource-fallback";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { VersionControls } from "./version-controls";
import { LoadingRows } from "./ui/skeleton";

// What the editor does not need to show the copy loads beside it (a smaller first load on a phone).
// Each in its own Suspense boundary (lazyComponent): a chunk on its way never holds back the
// editor and its copy, the page's largest paint. Those mounted after the first paint show the
// same placeholder until then as while their code loads.
const aiToolsLoading = <LoadingRows rows={2} label="Loading AI tools" />;
const historyLoading = <LoadingRows rows={3} label="Loading history" />;
const AiRewritePanel = lazyComponent(
  () => import("./ai-rewrite-panel").then((m) => m.AiRewritePanel),
  aiToolsLoading,
);
const ImageAssetView = lazyComponent(
  () => import("./image-asset-view").then((m) => m.ImageAssetView),
  <LoadingRows rows={4} label="Loading image" />,
);
const VersionTimeline = lazyComponent(
  () => import("./version-timeline").then((m) => m.VersionTimeline),
  historyLoading,
);
// Closed until an action that replaces the draft (Undo, Redo, Refine, Regenerate, Restore)
// meets unsaved edits.
const ConfirmDialog = lazyComponent(() => import("./ui/confirm-dialog").then((m) => m.ConfirmDialog));

/** The actions that move to another version, so replace the editor's draft. */
type DraftReplacing = "undo" | "redo" | "refine" | "regenerate" | "restore";

/** The confirm dialog's button for each, and what the action does to the saved version. */
const DISCARD: Record<DraftReplacing, { confirm: string; warning: (version: number | null) => string }> = {
  undo: { confirm: "Discard and undo", warning: () => "Undo moves to another saved version" },
  redo: { confirm: "Discard and redo", warning: () => "Redo moves to another saved version" },
  refine: { confirm: "Discard and refine", warning: () => "Refine rewrites the saved version into a new one" },
  regenerate: {
    confirm: "Discard and regenerate",
    warning: () => "Regenerate makes a new version from the original brief",
  },
  restore: {
    confirm: "Discard and restore",
    warning: (version) => `Restore makes version ${version ?? "this"} the current one`,
  },
};

/**
 * An action waiting for the user to discard the draft (or keep editing). `proceed` is handed
 * the workspace as it is when they agree (not as it was when they asked).
 */
interface PendingDiscard {
  action: DraftReplacing;
  version: number | null;
  proceed: (workspace: ReturnType<typeof useAssetWorkspace>) => void;
  cancel?: () => void;
}

/**
 * One asset: its current version in the editor, undo/redo, AI rewrites and the history.
 * `initialAsset`: the asset as the server read it for the first HTML (read here otherwise).
 */
export function AssetWorkspace({ assetId, initialAsset }: { assetId: string; initialAsset?: Asset }) {
  const workspace = useAssetWorkspace(assetId, initialAsset);
  const { asset, busy, pending } = workspace;
  const [dirty, setDirty] = useState(false);
  /** An action that replaces the draft, asked while the editor holds unsaved edits: confirm first. */
  const [confirming, setConfirming] = useState<PendingDiscard | null>(null);
  useDocumentTitle(asset?.title);
  // Leaving the page (a link, a reload, closing the tab) with unsaved edits asks too.
  useUnsavedChangesGuard(dirty);
  // The header and the editor (the copy is the page's largest paint) come first; the AI tools,
  // the history and the dialog (and their chunks and reads) right after that frame.
  const painted = useAfterPaint(asset !== null);

  if (!asset) {
    return (
      <ResourceFallback
        resource={workspace.resource}
        notFoundTitle="Asset not found"
        notFoundHint="It may belong to another account."
        backHref="/assets"
        backLabel="Back to assets"
        loadingLabel="Loading asset"
        rows={6}
      />
    );
  }

  const locked = busy !== null;
  /** Run `proceed` at once, or once the user agreed to lose the unsaved edits. */
  const unlessDirty = (pending: PendingDiscard) => {
    if (dirty) setConfirming(pending);
    else pending.proceed(workspace);
  };
  const move = (direction: "undo" | "redo") =>
    unlessDirty({ action: direction, version: null, proceed: (w) => (direction === "undo" ? w.undo() : w.redo()) });
  // Nothing is asked of the API (or charged) unless the user goes on.
  const refine = (instruction: string) =>
    new Promise<boolean>((resolve) =>
      unlessDirty({
        action: "refine",
        version: null,
        proceed: (w) => resolve(w.refine(instruction)),
        cancel: () => resolve(false),
      }),
    );
  const regenerate = () => unlessDirty({ action: "regenerate", version: null, proceed: (w) => w.regenerate() });
  const restore = (version: AssetVersion) =>
    unlessDirty({ action: "restore", version: version.version, proceed: (w) => w.restore(version) });
  const text = asset.content ?? "";
  // The editor's draft lives until the version moves (not when only the status changes).
  const versionKey = `${asset.current_version}:${asset.latest_version}`;

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
                  {workspace.campaignName ?? "Campaign"}
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
            <span>
              Created <DateTimeText value={asset.created_at} />
            </span>
          </span>
        }
      />

      <div className="grid gap-6 lg:grid-cols-5">
        <div className="space-y-6 lg:col-span-3">
          {asset.kind === "image" ? (
            <Card title="Image" titleId="asset-image-title">
              <ImageAssetView asset={asset} job={workspace.job} failure={workspace.imageFailure} />
            </Card>
          ) : null}

          <Card title={asset.kind === "image" ? "Details" : "Editor"} titleId="asset-editor-title">
            <div className="space-y-4">
              {/* Outside the editor (remounted per version): one live region says "Version X of Y". */}
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Versions">
                  <VersionControls
                    asset={asset}
                    busy={busy === "undo" || busy === "redo" ? busy : null}
                    disabled={locked || pending}
                    onUndo={() => move("undo")}
                    onRedo={() => move("redo")}
                  />
                </div>
                {asset.kind === "text" ? (
                  <div className="flex flex-wrap items-center gap-1">
                    <CopyButton text={text} label="Copy text" describedAs={asset.title} />
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => saveBlob(new Blob([text], { type: "text/plain;charset=utf-8" }), `${fileStem(asset.title)}.txt`)}
                    >
                      Download .txt
                    </Button>
                  </div>
                ) : null}
              </div>
              <AssetEditor
                key={versionKey}
                asset={asset}
                saving={busy === "save"}
                disabled={locked}
                onSave={workspace.save}
                onDirtyChange={setDirty}
              />
              {workspace.notice ? (
                <p role="status" className="text-sm text-emerald-700">
                  {workspace.notice}
                </p>
              ) : null}
              <ErrorBanner
                error={workspace.error}
                onDismiss={workspace.dismissError}
                action={
                  workspace.staleEdit ? (
                    <div className="flex flex-wrap items-center gap-3">
                      <span>
                        This asset changed since you opened it, in another tab or by someone else. Save yours as the
                        newest version (the other change stays in the history), or reload to see it (your unsaved
                        edits will be replaced).
                      </span>
                      <Button size="sm" variant="primary" onClick={workspace.saveAnyway} busy={busy === "save"}>
                        Save mine as newest
                      </Button>
                      <Button size="sm" onClick={workspace.reload} busy={busy === "reload"}>
                        Reload
                      </Button>
                    </div>
                  ) : null
                }
              />
            </div>
          </Card>

          <Card
            title={asset.kind === "image" ? "Regenerate with AI" : "Rewrite with AI"}
            titleId="asset-ai-title"
            description={
              dirty
                ? "You have unsaved changes: AI rewrites, Undo, Redo and Restore work on the saved version and replace them (each asks first)."
                : asset.kind === "image"
                  ? "Each new image becomes a new version; Undo takes you back."
                  : "Each rewrite becomes a new version; Undo takes you back."
            }
          >
            {painted ? (
              <AiRewritePanel
                asset={asset}
                busy={busy === "refine" || busy === "regenerate" ? busy : null}
                disabled={locked}
                onRefine={refine}
                onRegenerate={regenerate}
              />
            ) : (
              aiToolsLoading
            )}
          </Card>
        </div>

        {painted ? (
          <ConfirmDialog
            open={confirming !== null}
            title="Discard your unsaved changes?"
            confirmLabel={DISCARD[confirming?.action ?? "undo"].confirm}
            onCancel={() => {
              confirming?.cancel?.();
              setConfirming(null);
            }}
            onConfirm={() => {
              confirming?.proceed(workspace);
              setConfirming(null);
            }}
          >
            {DISCARD[confirming?.action ?? "undo"].warning(confirming?.version ?? null)}; the edits you have not saved
            will be lost.
          </ConfirmDialog>
        ) : null}

        <div className="lg:col-span-2">
          <Card title="Version history" titleId="asset-versions-title" description="Newest first. Undo and Redo move between them.">
            {painted ? (
              <VersionTimeline
                assetId={asset.id}
                currentVersion={asset.current_version}
                reloadKey={`${versionKey}:${asset.status}:${asset.updated_at}`}
                disabled={locked}
                restoring={workspace.restoring}
                onRestore={restore}
                imageAlt={asset.kind === "image" ? imageAltText(asset) : undefined}
                imageFileName={asset.kind === "image" ? (version) => imageFileName(asset, version) : undefined}
              />
            ) : (
              historyLoading
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
