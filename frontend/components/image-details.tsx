import type { ImageMetadata } from "@/lib/image-assets";

/** How an image was asked for: prompt, negative prompt, size and seed (to paint it again alike). */
export function ImageDetails({ metadata }: { metadata: ImageMetadata }) {
  const rows: [string, string][] = [];
  if (metadata.prompt) rows.push(["Prompt", metadata.prompt]);
  if (metadata.negativePrompt) rows.push(["Negative prompt", metadata.negativePrompt]);
  if (metadata.width && metadata.height) rows.push(["Size", `${metadata.width} × ${metadata.height} px`]);
  if (metadata.seed !== null) rows.push(["Seed", String(metadata.seed)]);
  if (rows.length === 0) return null;
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-sm">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-zinc-500">{term}</dt>
          <dd className="break-words text-zinc-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
