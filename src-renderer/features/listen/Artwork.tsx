// The cover embedded in a track's file, fetched through the bridge and shown from a blob: URL (revoked when the
// track changes); a neutral placeholder when the file has none.
import { useEffect, useState } from 'react';
import type { TrackId } from '../../../src-preload/contract/library';
import { useBridge } from '../../app/bridgeContext';

export function Artwork({ trackId, title }: { trackId: TrackId; title: string }) {
  const bridge = useBridge();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    let objectUrl: string | null = null;
    setUrl(null);
    void bridge.getArtwork(trackId).then((result) => {
      if (!alive || !result.ok || !result.value) return;
      const bytes = result.value.bytes;
      objectUrl = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: result.value.mimeType }));
      setUrl(objectUrl);
    });
    return () => {
      alive = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [bridge, trackId]);
  return url ? (
    <img className="artwork" src={url} alt={`Cover of ${title}`} data-testid="result-artwork" />
  ) : (
    <div className="artwork artwork-none" data-testid="result-artwork-none" aria-hidden="true">
      ♪
    </div>
  );
}
