// The fake library's vibe models: the built-in one (active) and a downloadable CLAP whose download is simulated in
// MODEL_STEPS timed steps (then verifying, then installed, or failed with a scripted error), cancellable, resumable.
import type { AppErrorInfo, ModelInfo, ModelProgress } from '../library.js';
import { soon, type FakeClock } from './fakeClock.js';

/** Simulated downloads take this many 'downloading' steps. */
export const MODEL_STEPS = 5;
export const FAKE_BUILTIN_MODEL_ID = 'builtin-descriptors-v2';
export const FAKE_CLAP_MODEL_ID = 'clap-htsat-unfused';

export interface FakeModelsOptions {
  /** Milliseconds between simulated download steps. */
  readonly stepMs: number;
  readonly clock: FakeClock;
  /** Makes every download fail at verification with this error. */
  readonly failure?: AppErrorInfo;
  readonly onProgress: (progress: ModelProgress) => void;
}

/** Each call answers an error the bridge refuses with, or undefined when done (events follow on their own). */
export interface FakeModels {
  list(): ModelInfo[];
  install(modelId: string): AppErrorInfo | undefined;
  cancel(modelId: string): AppErrorInfo | undefined;
  use(modelId: string): AppErrorInfo | undefined;
}

export function createFakeModels(options: FakeModelsOptions): FakeModels {
  const models: ModelInfo[] = [
    {
      id: FAKE_BUILTIN_MODEL_ID,
      description: 'Built-in descriptors (timbre, harmony, rhythm)',
      license: 'MIT',
      sizeBytes: 180_000,
      dim: 79,
      state: 'builtin',
      downloadedBytes: 180_000,
      active: true,
      installing: false,
    },
    {
      id: FAKE_CLAP_MODEL_ID,
      description: 'LAION CLAP (HTSAT, unfused) audio tower',
      license: 'Apache-2.0',
      sizeBytes: 117_528_416,
      dim: 512,
      state: 'missing',
      downloadedBytes: 0,
      active: false,
      installing: false,
    },
  ];
  /** Running downloads: model id -> cancel the next step. */
  const downloads = new Map<string, () => void>();
  const setModel = (id: string, patch: Partial<ModelInfo>): ModelInfo => {
    const i = models.findIndex((m) => m.id === id);
    models[i] = { ...models[i], ...patch };
    return models[i];
  };
  const progress = (m: ModelInfo, phase: ModelProgress['phase'], receivedBytes: number, error?: AppErrorInfo): void =>
    options.onProgress({ modelId: m.id, phase, receivedBytes, totalBytes: m.sizeBytes, ...(error ? { error } : {}) });
  const downloadable = (modelId: string): ModelInfo | undefined => models.find((x) => x.id === modelId && x.state !== 'builtin');

  function startDownload(m: ModelInfo): void {
    setModel(m.id, { installing: true });
    const stepBytes = Math.ceil(m.sizeBytes / MODEL_STEPS);
    const step = () => {
      const current = models.find((x) => x.id === m.id)!;
      const received = Math.min(m.sizeBytes, current.downloadedBytes + stepBytes);
      if (received < m.sizeBytes) {
        setModel(m.id, { downloadedBytes: received, state: 'partial' });
        progress(m, 'downloading', received);
        downloads.set(m.id, options.clock.after(options.stepMs, step));
        return;
      }
      progress(m, 'verifying', m.sizeBytes);
      downloads.set(
        m.id,
        options.clock.after(options.stepMs, () => {
          downloads.delete(m.id);
          if (options.failure) {
            setModel(m.id, { installing: false, downloadedBytes: 0, state: 'missing' });
            progress(m, 'failed', 0, options.failure);
          } else {
            setModel(m.id, { installing: false, downloadedBytes: m.sizeBytes, state: 'installed' });
            progress(m, 'installed', m.sizeBytes);
          }
        }),
      );
    };
    progress(m, 'downloading', m.downloadedBytes);
    downloads.set(m.id, options.clock.after(options.stepMs, step));
  }

  return {
    list: () => models.map((m) => ({ ...m })),
    install(modelId) {
      const m = downloadable(modelId);
      if (!m) return { code: 'not-found', detail: modelId };
      if (m.installing) return undefined;
      if (m.state === 'installed') soon(() => progress(m, 'installed', m.sizeBytes));
      else soon(() => startDownload(m));
      return undefined;
    },
    cancel(modelId) {
      if (!downloadable(modelId)) return { code: 'not-found', detail: modelId };
      const stop = downloads.get(modelId);
      if (stop === undefined) return undefined;
      stop();
      downloads.delete(modelId);
      const now = setModel(modelId, { installing: false });
      progress(now, 'cancelled', now.downloadedBytes);
      return undefined;
    },
    use(modelId) {
      const m = models.find((x) => x.id === modelId);
      if (!m) return { code: 'not-found', detail: modelId };
      if (m.state !== 'builtin' && m.state !== 'installed') return { code: 'model-missing', detail: `${modelId} is not downloaded (${m.state})` };
      for (const x of models) setModel(x.id, { active: x.id === modelId });
      return undefined;
    },
  };
}
