// Plain words first, figures behind "Details" (issue 14): the result card, a failed file of the library and a model
// card, rendered to HTML with the store bound. Aligned hashes, exact speed/pitch factors, raw decoder messages, model
// ids and vector lengths appear only inside a closed <details>; a failed model download says to check the
// connection and that the model in use stays in use.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ExactMatch, IdentifyResult, ModelInfo, TrackSummary } from '../../src-preload/contract/library';
import { BridgeContext } from '../app/bridgeContext';
import type { IdentifyOutcome } from '../store/identifySlice';
import { createBoundTestStore, createTestStore, htmlText } from '../store/testDeps';
import { FailedFilesPanel } from './library/FailedFilesPanel';
import { ResultPanel } from './listen/ResultPanel';
import { ModelCard } from './settings/ModelCard';

let store: ReturnType<typeof createTestStore>['store'];
let bridge: ReturnType<typeof createTestStore>['bridge'];
beforeEach(() => {
  ({ store, bridge } = createBoundTestStore());
});

const renderResult = () =>
  renderToStaticMarkup(
    <BridgeContext value={bridge}>
      <ResultPanel />
    </BridgeContext>,
  );

/** The HTML outside every <details>…</details> block, and the blocks themselves. */
function split(html: string): { outside: string; details: string[] } {
  const details = html.match(/<details[\s\S]*?<\/details>/g) ?? [];
  return { outside: details.reduce((rest, d) => rest.replace(d, ''), html), details };
}

const text = htmlText;

const track = {
  id: 't1',
  title: 'Beta',
  artist: 'The Synthetics',
  album: 'First Light',
  durationSeconds: 80,
  filePath: '/music/Beta.flac',
} as unknown as TrackSummary;
const match: ExactMatch = { track, confidence: 0.93, offsetSeconds: 83.4, alignedHashes: 48, speedFactor: 1.02, pitchFactor: 1 };
const result: IdentifyResult = { durationMs: 231, clipSeconds: 8, exact: [match], vibe: [], modeUsed: 'exact' };
const outcome = (o: Partial<IdentifyOutcome>): IdentifyOutcome => ({
  source: 'mic',
  clipName: null,
  clipStartedAtMs: null,
  askedMode: 'exact',
  result: null,
  error: null,
  silent: false,
  listenProblem: null,
  ...o,
});

describe('the result card', () => {
  it('says "at 1:23", "sure" and "faster"; aligned hashes, factors and timing only under Details', () => {
    store.setState({ outcome: outcome({ result }) });
    const { outside, details } = split(renderResult());
    expect(text(outside)).toContain('at 1:23');
    expect(text(outside)).toContain('93% sure');
    expect(text(outside)).toContain('2% faster');
    expect(outside).not.toMatch(/hash|×|231 ms/);
    expect(details).toHaveLength(1);
    expect(details[0]).not.toMatch(/<details[^>]* open/);
    expect(text(details[0])).toContain('Details');
    expect(text(details[0])).toContain('48 aligned hashes');
    expect(text(details[0])).toContain('speed ×1.020');
    expect(text(details[0])).toContain('231 ms');
  });

  it('shows an error in words, the raw decoder message under Details', () => {
    store.setState({ outcome: outcome({ source: 'file', clipName: 'x.mp3', error: { code: 'decode-failed', detail: '[mp3float @ 0x5] Header missing' } }) });
    const { outside, details } = split(renderResult());
    expect(text(outside)).toContain('The audio could not be decoded');
    expect(outside).not.toContain('Header missing');
    expect(details.join('')).toContain('Header missing');
  });
});

describe('a failed file of the library', () => {
  it('says what is wrong in words; the ffmpeg message waits under Details', () => {
    store.setState({
      failedTotal: 1,
      failedFiles: [{ path: '/music/broken.mp3', error: { code: 'unsupported-format', detail: 'Invalid data found when processing input' } }] as never,
    });
    const { outside, details } = split(renderToStaticMarkup(<FailedFilesPanel />));
    expect(text(outside)).toContain('This is not an audio format the app can read');
    expect(outside).not.toContain('Invalid data found');
    expect(details).toHaveLength(1);
    expect(details[0]).toContain('Invalid data found when processing input');
  });
});

describe('a model card', () => {
  const builtin: ModelInfo = {
    id: 'builtin-descriptors-v2',
    description: 'Built-in descriptors',
    license: 'MIT',
    sizeBytes: 180_000,
    dim: 143,
    state: 'builtin',
    downloadedBytes: 180_000,
    active: true,
    installing: false,
  };
  const clap: ModelInfo = {
    id: 'clap-htsat-unfused',
    description: 'LAION CLAP',
    license: 'Apache-2.0',
    sizeBytes: 112_000_000,
    dim: 512,
    state: 'partial',
    downloadedBytes: 1_000_000,
    active: false,
    installing: false,
  };

  it('keeps the model id and its vector length under Details', () => {
    store.setState({ models: [builtin, clap] });
    const { outside, details } = split(renderToStaticMarkup(<ModelCard model={clap} />));
    expect(outside).not.toMatch(/clap-htsat-unfused<|512|dimensional/);
    expect(text(details.join(''))).toContain('clap-htsat-unfused');
    expect(text(details.join(''))).toContain('512');
  });

  it('a download that failed offline says to check the connection and that the built-in model stays in use', () => {
    const error = { code: 'model-missing' as const, detail: 'cannot download https://huggingface.co/x/model.onnx' };
    store.setState({
      models: [builtin, clap],
      modelProgress: { [clap.id]: { modelId: clap.id, phase: 'failed', receivedBytes: 1_000_000, totalBytes: clap.sizeBytes, error } },
      modelErrors: { [clap.id]: error },
    });
    const { outside, details } = split(renderToStaticMarkup(<ModelCard model={clap} />));
    expect(text(outside)).toMatch(/check your internet connection/i);
    expect(text(outside)).toContain('The built-in model stays in use');
    expect(outside).not.toContain('huggingface.co');
    expect(details.join('')).toContain('cannot download https://huggingface.co/x/model.onnx');
  });

  it('names the downloaded model in use when that one stays', () => {
    const error = { code: 'model-missing' as const, detail: 'HTTP 503' };
    const other: ModelInfo = { ...clap, id: 'other', description: 'Other model', state: 'installed', active: true };
    store.setState({
      models: [{ ...builtin, active: false }, other, clap],
      modelProgress: { [clap.id]: { modelId: clap.id, phase: 'failed', receivedBytes: 0, totalBytes: clap.sizeBytes, error } },
      modelErrors: { [clap.id]: error },
    });
    expect(text(renderToStaticMarkup(<ModelCard model={clap} />))).toContain('Other model stays in use');
  });

  it('a refused "Use this model" keeps its own words', () => {
    const error = { code: 'model-missing' as const, detail: 'clap could not be loaded' };
    store.setState({ models: [builtin, { ...clap, state: 'installed' }], modelErrors: { [clap.id]: error } });
    const html = renderToStaticMarkup(<ModelCard model={{ ...clap, state: 'installed' }} />);
    expect(text(split(html).outside)).toContain('The vibe model is missing, damaged or could not be downloaded');
    expect(text(html)).not.toMatch(/internet connection/);
  });
});
