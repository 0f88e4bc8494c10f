// The one JSON shape of a track, a match, a page of tracks and a tracklist for scripts: the HTTP API's answers
// (/api/v1/search, /tracks, /tracks/{id}, /tracks/{id}/similar, /tracklist) and the CLI's --json lines are built here,
// so a script reads both with one parser. snake_case, a match carries its track as a nested `track` object, a
// stretch of a tracklist that is not in the library has `track: null`. Described in docs/openapi.yaml
// (components/schemas) and docs/api-contract.md. Pure: contract types in, plain objects out.
import type { Page } from '../../src-preload/contract/api.js';
import type { ExactMatch, IdentifyResult, TrackDetail, Tracklist, TrackSummary, VibeMatch } from '../../src-preload/contract/library.js';

export interface TrackJson {
  readonly id: string;
  readonly title: string;
  readonly artist: string | null;
  readonly album: string | null;
  readonly duration_seconds: number;
  readonly format: string;
  readonly file_path: string;
}

export function trackJson(t: TrackSummary): TrackJson {
  return { id: t.id, title: t.title, artist: t.artist, album: t.album, duration_seconds: t.durationSeconds, format: t.format, file_path: t.filePath };
}

export function trackDetailJson(t: TrackDetail) {
  return {
    ...trackJson(t),
    sample_rate: t.sampleRateHz,
    channels: t.channelCount,
    bitrate: t.bitrate,
    file_hash_sha256: t.fileHashSha256,
    file_size_bytes: t.fileSizeBytes,
    file_mtime_ms: t.fileMtimeMs,
    fingerprint_status: t.fingerprintStatus,
    fingerprint_version: t.fingerprintVersion,
    landmark_count: t.landmarkCount,
    embedding_model: t.embeddingModel,
    embedding_dim: t.embeddingDim,
    embedding_status: t.embeddingStatus,
    ingested_at: t.ingestedAt,
    updated_at: t.updatedAt,
    duplicate_paths: [...t.duplicatePaths],
  };
}

export function exactMatchJson(m: ExactMatch) {
  return {
    track: trackJson(m.track),
    confidence: m.confidence,
    offset_seconds: m.offsetSeconds,
    aligned_hashes: m.alignedHashes,
    speed_factor: m.speedFactor,
    pitch_factor: m.pitchFactor,
  };
}

export function vibeMatchJson(m: VibeMatch) {
  return { track: trackJson(m.track), similarity: m.similarity, embedding_model: m.embeddingModel, explanation: m.explanation };
}

/** An identification: POST /api/v1/search's body after request_id and query_duration_ms; a CLI identify line after clip. */
export function identifyJson(result: IdentifyResult) {
  return {
    exact_matches: result.exact.map(exactMatchJson),
    vibe_matches: result.vibe.map(vibeMatchJson),
    mode_used: result.modeUsed,
    clip_seconds: result.clipSeconds,
  };
}

/** GET /api/v1/tracks and `audio-ident tracks --json`. */
export function trackPageJson(page: Page<TrackSummary>) {
  return { items: page.items.map(trackJson), total: page.total, page: page.page, per_page: page.perPage };
}

/** GET /api/v1/tracks/{id}/similar and `audio-ident similar --json`. */
export function similarJson(trackId: string, matches: readonly VibeMatch[]) {
  return { track_id: trackId, vibe_matches: matches.map(vibeMatchJson) };
}

/** POST /api/v1/tracklist (format=json) and one line of `audio-ident tracklist --json`. */
export function tracklistJson(file: string, list: Tracklist) {
  return {
    file,
    duration_seconds: list.durationSeconds,
    segments: list.segments.map((s) => ({
      start: s.start,
      end: s.end,
      track: s.track ? trackJson(s.track) : null,
      offset_seconds: s.offsetSeconds,
      speed_factor: s.speedFactor,
      pitch_factor: s.pitchFactor,
      confidence: s.confidence,
      ...(s.sameRecording ? { same_recording: s.sameRecording.map(trackJson) } : {}),
    })),
  };
}
