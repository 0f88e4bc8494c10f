// Saves text as a file the way a page can: a Blob behind an object URL, clicked through a temporary <a download>.
export function downloadText(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by now; give it a moment before letting the URL go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
