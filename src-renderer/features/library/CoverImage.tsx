// A track's cover for the Albums and Artists views: fetched through the bridge (embedded picture, else cover.jpg /
// folder.jpg beside the file) only once the tile scrolls near the viewport, shown from a blob: URL revoked on unmount;
// a neutral placeholder meanwhile and when there is none.
import { useEffect, useRef, useState } from 'react';
import type { TrackId } from '../../../src-preload/contract/library';
import { useBridge } from '../../app/bridgeContext';

export function CoverImage({ trackId, label, className }: { trackId: TrackId; label: string; className?: string }) {
  const bridge = useBridge();
  const holder = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  const [url, setUrl] = useState<string | null>(null);

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setVisible(true);
          observer.disconnect();
        }
      },
      { rootMargin: '200px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!visible) return;
    let alive = true;
    let objectUrl: string | null = null;
    void bridge.getArtwork(trackId).then((result) => {
      if (!alive || !result.ok || !result.value) return;
      objectUrl = URL.createObjectURL(new Blob([result.value.bytes as Uint8Array<ArrayBuffer>], { type: result.value.mimeType }));
      setUrl(objectUrl);
    });
    return () => {
      alive = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      setUrl(null);
    };
  }, [bridge, trackId, visible]);

  return (
    <div ref={holder} className={`cover ${className ?? ''}`}>
      {url ? (
        <img src={url} alt={label} data-testid="cover-image" />
      ) : (
        <div className="cover-none" aria-hidden="true">
          ♪
        </div>
      )}
    </div>
  );
}
