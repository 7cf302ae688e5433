import { ASSET_TYPE_LABELS, humanize } from "@/lib/format";
import type { Asset, AssetStatus, AssetType } from "@/lib/types";
import { Badge, type BadgeTone } from "./ui/badge";

const STATUS: Record<AssetStatus, { tone: BadgeTone; label: string }> = {
  ready: { tone: "green", label: "Ready" },
  pending: { tone: "amber", label: "Generating" },
  failed: { tone: "red", label: "Failed" },
};

export function AssetStatusBadge({ status }: { status: AssetStatus }) {
  const { tone, label } = STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}

/** "Headline", "Ad copy", … for generated text; "Text" / "Image" otherwise. */
function assetKindLabel(asset: Pick<Asset, "kind" | "asset_type">): string {
  if (asset.asset_type) return ASSET_TYPE_LABELS[asset.asset_type as AssetType] ?? humanize(asset.asset_type);
  return asset.kind === "image" ? "Image" : "Text";
}

export function AssetKindBadge({ asset }: { asset: Pick<Asset, "kind" | "asset_type"> }) {
  return <Badge tone={asset.kind === "image" ? "violet" : "accent"}>{assetKindLabel(asset)}</Badge>;
}
