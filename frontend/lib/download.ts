/**
 * Save a file from another origin (a storage URL) under `fileName`. `<a download>` names only
 * same-origin files, so the file is fetched (storage answers CORS) and saved from a blob URL;
 * when it cannot be fetched, it opens in a new tab, where the browser can save it.
 */
export async function downloadFile(url: string, fileName: string): Promise<void> {
  try {
    const response = await fetch(url, { mode: "cors" });
    if (!response.ok) throw new Error(`${response.status}`);
    const blobUrl = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = blobUrl;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(blobUrl), 10_000);
  } catch {
    window.open(url, "_blank", "noopener");
  }
}
