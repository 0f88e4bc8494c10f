// The CLI's words for people (its --json output is apiJson.ts): matches, tracklists, progress lines and errors,
// every piece of tag or path text escaped for the terminal (terminalText).
import path from 'node:path';
import type { AppErrorInfo, IdentifyResult, ScanProgress, Tracklist, TracklistProgress, TrackSummary, VibeMatch } from '../../src-preload/contract/library.js';
import { tracklistClock } from '../../src-preload/contract/tracklistFormats.js';
import { terminalText as t } from './terminalText.js';

/** `tracks`: one line per track, then the page. */
export function formatTrackLine(track: TrackSummary): string {
  return `${track.id}  ${t(track.artist ?? '-')} - ${t(track.title)}  [${t(track.album ?? '-')}]  ${formatTime(track.durationSeconds)}\n`;
}

export function formatVibe(matches: readonly VibeMatch[], indent: string): string {
  return matches
    .map(
      (m) =>
        `${indent}${(m.similarity * 100).toFixed(0)}%  ${t(m.track.artist ?? 'unknown artist')} - ${t(m.track.title)}${m.explanation ? `  (${t(m.explanation)})` : ''}\n`,
    )
    .join('');
}

export function formatIdentify(rawClip: string, result: IdentifyResult): string {
  const clip = t(rawClip);
  const vibe = result.vibe.length > 0 ? `  sounds like:\n${formatVibe(result.vibe, '    ')}` : '';
  if (result.exact.length === 0) {
    return result.modeUsed === 'vibe'
      ? `${clip}: (${Math.round(result.durationMs)} ms)\n${vibe}`
      : `${clip}: not in your library (${Math.round(result.durationMs)} ms)\n${vibe}`;
  }
  return (
    result.exact
      .map((m, i) => {
        const speed =
          Math.abs(m.speedFactor - 1) > 1e-9 || Math.abs(m.pitchFactor - 1) > 1e-9
            ? ` (played at ${(m.speedFactor * 100).toFixed(0)}% tempo, ${(m.pitchFactor * 100).toFixed(0)}% pitch)`
            : '';
        const head = i === 0 ? `${clip}: ` : '  also: ';
        return `${head}${t(m.track.artist ?? 'unknown artist')} - ${t(m.track.title)} at ${formatTime(m.offsetSeconds)}${speed}, confidence ${(m.confidence * 100).toFixed(0)}% (${m.alignedHashes} aligned hashes, ${result.durationMs} ms)\n`;
      })
      .join('') + vibe
  );
}

/** One recording's tracklist for people: a header, then one line per stretch ("0:00-0:30  Beta — Artist  (from 0:10)"). */
export function formatTracklist(file: string, list: Tracklist): string {
  const songs = list.segments.filter((s) => s.track !== null).length;
  const lines = [
    `${t(file)}: ${songs === 0 ? 'no song of your library' : `${songs} song${songs === 1 ? '' : 's'}`} in ${formatTime(list.durationSeconds)} (${list.durationMs} ms)`,
  ];
  for (const s of list.segments) {
    const when = `${tracklistClock(s.start)}-${tracklistClock(s.end)}`;
    if (!s.track) {
      lines.push(`${when}  not in your library`);
      continue;
    }
    const who = s.track.artist ? `${t(s.track.title)} — ${t(s.track.artist)}` : t(s.track.title);
    const speed = s.speedFactor !== null && Math.abs(s.speedFactor - 1) >= 0.005 ? `, played at ${(s.speedFactor * 100).toFixed(0)}% speed` : '';
    const also = s.sameRecording?.length ? `; also in your library as ${s.sameRecording.map((o) => t(o.filePath)).join(', ')}` : '';
    lines.push(`${when}  ${who}  (from ${tracklistClock(s.offsetSeconds ?? 0)}${speed}${also})`);
  }
  return lines.join('\n') + '\n';
}

export function formatTracklistProgress(file: string, p: TracklistProgress): string {
  const of = p.totalSeconds ? ` of ${tracklistClock(p.totalSeconds)}` : '';
  return `\r\x1b[K${`${t(path.basename(file))}: ${tracklistClock(p.doneSeconds)}${of} searched, ${p.songs} song${p.songs === 1 ? '' : 's'} so far`.slice(0, 150)}`;
}

export function formatProgress(p: ScanProgress, tty: boolean): string {
  const line = `${p.phase}: ${p.filesDone}/${p.filesTotal} files, ${p.audioSecondsPerSecond.toFixed(0)}x realtime${p.currentFile ? `  ${t(path.basename(p.currentFile))}` : ''}`;
  return tty ? `\r\x1b[K${line.slice(0, 150)}` : `${line}\n`;
}

export function formatError(e: AppErrorInfo): string {
  return e.detail ? `${e.code}: ${t(e.detail)}` : e.code;
}

export function formatTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
