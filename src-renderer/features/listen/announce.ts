// Pure: the one sentence a screen reader hears when an answer arrives (the polite live region of the Listen screen),
// in the same plain words as the result card: "Found Beta by The Synthetics, at 1:00, 93% sure."
import { errorWords, LISTEN_PROBLEM_TEXT } from '../../lib/errorText';
import { formatClock, formatPercent } from '../../lib/format';
import { isNotInLibrary, type IdentifyOutcome } from '../../store/identifySlice';

export function announceOutcome(outcome: IdentifyOutcome | null): string {
  if (!outcome) return '';
  const from = outcome.source === 'mic' ? 'From the microphone' : `From the file ${outcome.clipName ?? ''}`.trimEnd();
  if (outcome.listenProblem) return `${LISTEN_PROBLEM_TEXT[outcome.listenProblem].title}.`;
  if (outcome.error) return `${from}: could not identify. ${errorWords(outcome.error)}`;
  const result = outcome.result;
  const best = result?.exact[0];
  if (outcome.silent && outcome.source === 'mic' && !best) return 'The microphone is silent: nothing was heard.';
  if (best) {
    const by = best.track.artist ? ` by ${best.track.artist}` : '';
    return `${from}: found ${best.track.title}${by}, at ${formatClock(best.offsetSeconds)}, ${formatPercent(best.confidence)} sure.`;
  }
  const alike = result?.vibe.length ?? 0;
  const soundsLike = alike > 0 ? ` ${alike} ${alike === 1 ? 'song' : 'songs'} in your library ${alike === 1 ? 'sounds' : 'sound'} like it.` : '';
  return isNotInLibrary(outcome) ? `${from}: not in your library.${soundsLike}` : `${from}:${soundsLike || ' no similar-sounding songs.'}`;
}
