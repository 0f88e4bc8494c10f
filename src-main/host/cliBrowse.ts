// `audio-ident tracks` and `audio-ident similar <track>`: the contract's listTracks and similarTracks, with the
// arguments checked by its parseArgs, in words or the one JSON shape (apiJson.ts).
import path from 'node:path';
import { LIMITS } from '../../src-preload/contract/api.js';
import type { TrackId } from '../../src-preload/contract/library.js';
import { parseArgs } from '../../src-preload/contract/parseArgs.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';
import { similarJson, trackPageJson } from './apiJson.js';
import { contractArgs, EXIT, openCliLibrary, UsageError, valueOf, type CliRun } from './cliLibrary.js';
import { formatTrackLine, formatVibe } from './cliText.js';
import { terminalJson, terminalText as t } from './terminalText.js';

export async function tracksCommand(run: CliRun): Promise<number> {
  const { io, values } = run;
  // Options first: a usage error must not open (or migrate) any catalog.
  const [query] = contractArgs('listTracks', [
    { ...(typeof values.search === 'string' ? { search: values.search } : {}), page: run.intOption('page', 1), perPage: run.intOption('per-page', 50) },
  ]);
  const { library } = await openCliLibrary(io, { dataDir: run.dataDir, access: 'read' });
  try {
    const page = valueOf(await library.listTracks(query));
    if (values.json) io.stdout(terminalJson(trackPageJson(page)) + '\n');
    else {
      for (const track of page.items) io.stdout(formatTrackLine(track));
      io.stdout(`page ${page.page} of ${Math.max(1, Math.ceil(page.total / page.perPage))}, ${page.total} tracks\n`);
    }
    return EXIT.ok;
  } finally {
    await library.close();
  }
}

export async function similarCommand(run: CliRun): Promise<number> {
  const { io, values } = run;
  if (run.positionals.length !== 1) throw new UsageError('similar needs one track (its id or its file path)');
  const maxResults = run.intOption('max-results', 10);
  contractArgs('similarTracks', ['00000000-0000-4000-8000-000000000000', maxResults]); // the options, before opening
  const { library } = await openCliLibrary(io, { dataDir: run.dataDir, access: 'read' });
  try {
    const wanted = run.positionals[0];
    const trackId = await findTrack(library, wanted);
    if (!trackId) {
      io.stderr(`error: not-found: no library track ${t(wanted)}\n`);
      return EXIT.notFound;
    }
    const matches = valueOf(await library.similarTracks(...contractArgs('similarTracks', [trackId, maxResults])));
    if (values.json) io.stdout(terminalJson(similarJson(trackId, matches)) + '\n');
    else io.stdout(formatVibe(matches, '') || 'no similar tracks yet\n');
    return EXIT.ok;
  } finally {
    await library.close();
  }
}

/**
 * A track named by its id, or by its file's path. The contract finds tracks by words, not by path (the page never
 * names one): the path's file name is searched (a library search matches file names) and the hit whose file is at
 * that path is the track.
 */
async function findTrack(library: LibraryBackend, wanted: string): Promise<TrackId | undefined> {
  const asId = parseArgs('getTrack', [wanted]);
  if (asId.ok) {
    const track = await library.getTrack(...asId.value);
    if (track.ok) return track.value.id;
    if (track.error.code !== 'not-found') valueOf(track);
  }
  const filePath = path.resolve(wanted);
  const search = path.basename(filePath).slice(0, LIMITS.maxSearchLength);
  for (let page = 1; ; page++) {
    const hits = valueOf(await library.listTracks({ search, page, perPage: LIMITS.maxPerPage }));
    const hit = hits.items.find((track) => track.filePath === filePath);
    if (hit) return hit.id;
    if (page * hits.perPage >= hits.total) return undefined;
  }
}
