/**
 * Save a file from another origin (a storage URL) under `fileName`. `<a download>` names only
 * same-origin files, so the file is fetched (storage answers CORS) and saved from a blob URL;
 * when it cannot be fetched, it opens in a new tab, where the browser can save it.
 */
export async function downloadFile(url: string, fileName: string): Promise<void> {
  try {
    const response = await fetch(url, { mode: "cors" });
    if (!response.ok) throw new Error(`${response.status}`);
    saveBlob(await response.blob(), fileName);
  } catch {
    window.open(url, "_blank", "noopener");
  }
}

/** Save what the page holds (an export, a text) as a file named `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const blobUrl = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = blobUrl;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(blobUrl), 10_000);
}

/** A title as a file name: `Spring sale: 20% off` -> `spring-sale-20-off`. */
export function fileStem(title: string, fallback = "asset"): string {
  return (
    title
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .toLowerCase()
      .slice(0, 60) || fallback
  );
}
