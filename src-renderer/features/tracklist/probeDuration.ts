// How long a dropped file plays, measured in the page: an <audio> element reads the file's header (and, for a file
// without one, estimates) through an object URL, so a 100 MB mix is neither read whole nor sent anywhere to find
// out. Null when the browser cannot tell (a format it does not play, a broken file) within a few seconds.
const PROBE_TIMEOUT_MS = 5000;

export function probeDurationSeconds(file: Blob): Promise<number | null> {
  if (typeof document === 'undefined' || typeof URL.createObjectURL !== 'function') return Promise.resolve(null);
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const audio = document.createElement('audio');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (seconds: number | null): void => {
      clearTimeout(timer);
      audio.onloadedmetadata = null;
      audio.onerror = null;
      audio.removeAttribute('src');
      audio.load();
      URL.revokeObjectURL(url);
      resolve(seconds);
    };
    audio.preload = 'metadata';
    audio.onloadedmetadata = () => done(Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : null);
    audio.onerror = () => done(null);
    timer = setTimeout(() => done(null), PROBE_TIMEOUT_MS);
    audio.src = url;
  });
}
