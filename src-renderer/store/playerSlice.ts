// The one player of the app: what the player bar plays (a track from the Library, or a match's "Play from here"),
// and how it is going. The bar owns the single <audio> element and follows `playRequest`; a new request (even for
// the same track) restarts it where asked.
import type { TrackId } from '../../src-preload/contract/library';
import type { SliceCreator } from './types';

/** Where to start: a position in the track, or in sync with a room a clip was recorded in (Play from here). */
export type PlayStart =
  | { readonly kind: 'at'; readonly seconds: number }
  | { readonly kind: 'sync'; readonly offsetSeconds: number; readonly speedFactor: number; readonly clipStartedAtMs: number | null };

export interface PlayRequest {
  /** Increments with every request: the bar reacts to a new one. */
  readonly serial: number;
  readonly trackId: TrackId;
  /** Null when the caller did not have it at hand: the bar asks the library. */
  readonly title: string | null;
  readonly artist: string | null;
  readonly start: PlayStart;
}

export type PlayerState = 'idle' | 'loading' | 'playing' | 'paused' | 'error';

export interface PlayerSlice {
  playRequest: PlayRequest | null;
  playerState: PlayerState;
  /** Why the last play failed, in words (see features/listen/playbackFailure.ts). */
  playerError: string | null;
  playTrack: (track: { id: TrackId; title?: string; artist?: string | null }, start?: PlayStart) => void;
  setPlayerState: (state: PlayerState, error?: string | null) => void;
  /** Closes the bar (the audio stops). */
  closePlayer: () => void;
}

export const createPlayerSlice: SliceCreator<PlayerSlice> = () => (set, get) => ({
  playRequest: null,
  playerState: 'idle',
  playerError: null,
  playTrack: (track, start = { kind: 'at', seconds: 0 }) =>
    set({
      playRequest: { serial: (get().playRequest?.serial ?? 0) + 1, trackId: track.id, title: track.title ?? null, artist: track.artist ?? null, start },
      playerState: 'loading',
      playerError: null,
    }),
  setPlayerState: (state, error = null) => set({ playerState: state, playerError: state === 'error' ? error : null }),
  closePlayer: () => set({ playRequest: null, playerState: 'idle', playerError: null }),
});
