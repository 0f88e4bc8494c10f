// Saves text as a file the user downloads: a Blob behind an <a download> link, clicked once. Works in the browser
// host and in Electron (whose default download handling asks where to save). Browser code: DOM only.

/** How long the Blob URL stays valid after the click (the download reads it asynchronously). */
const REVOKE_AFTER_MS = 60_000;

export function saveTextFile(fileName: string, mimeType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
