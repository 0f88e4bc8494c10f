// The vibe lane's models on the Settings screen: the list (built-in + downloadable, with state), live download
// progress from modelProgress pushes, download / cancel / use actions and the last error per model.
import type { AppErrorInfo, ModelInfo, ModelProgress } from '../../src-preload/contract/library';
import type { SliceCreator } from './types';

export interface ModelsSlice {
  models: readonly ModelInfo[];
  modelsLoaded: boolean;
  /** The running (or just ended) download of each model, from modelProgress pushes; keyed by model id. */
  modelProgress: Readonly<Record<string, ModelProgress>>;
  /** The last error of each model: a failed download, a model that could not be used. */
  modelErrors: Readonly<Record<string, AppErrorInfo>>;
  /** The model a useModel call is switching to, or null. */
  modelSwitching: string | null;
  /** An error of the list itself (listModels failed). */
  modelsError: AppErrorInfo | null;
  loadModels: () => Promise<void>;
  installModel: (modelId: string) => Promise<void>;
  cancelModelInstall: (modelId: string) => Promise<void>;
  useModel: (modelId: string) => Promise<boolean>;
  applyModelProgress: (progress: ModelProgress) => void;
}

const without = <T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> => {
  const copy = { ...record };
  delete copy[key];
  return copy;
};

export function isDownloadEnded(progress: ModelProgress): boolean {
  return progress.phase === 'installed' || progress.phase === 'failed' || progress.phase === 'cancelled';
}

export const createModelsSlice: SliceCreator<ModelsSlice> = (deps) => (set, get) => ({
  models: [],
  modelsLoaded: false,
  modelProgress: {},
  modelErrors: {},
  modelSwitching: null,
  modelsError: null,

  loadModels: async () => {
    const result = await deps.bridge.listModels();
    if (result.ok) set({ models: result.value, modelsLoaded: true, modelsError: null });
    else set({ modelsError: result.error, modelsLoaded: true });
  },

  installModel: async (modelId) => {
    const model = get().models.find((m) => m.id === modelId);
    set({
      modelErrors: without(get().modelErrors, modelId),
      // Shown at once; the engine's first push replaces it.
      modelProgress: {
        ...get().modelProgress,
        [modelId]: { modelId, phase: 'downloading', receivedBytes: model?.downloadedBytes ?? 0, totalBytes: model?.sizeBytes ?? 0 },
      },
    });
    const result = await deps.bridge.installModel(modelId);
    if (!result.ok) set({ modelErrors: { ...get().modelErrors, [modelId]: result.error }, modelProgress: without(get().modelProgress, modelId) });
  },

  cancelModelInstall: async (modelId) => {
    const result = await deps.bridge.cancelModelInstall(modelId);
    if (!result.ok) set({ modelErrors: { ...get().modelErrors, [modelId]: result.error } });
  },

  useModel: async (modelId) => {
    set({ modelSwitching: modelId, modelErrors: without(get().modelErrors, modelId) });
    const result = await deps.bridge.useModel(modelId);
    set({ modelSwitching: null });
    if (!result.ok) set({ modelErrors: { ...get().modelErrors, [modelId]: result.error } });
    await Promise.all([get().loadModels(), get().loadStatus()]);
    return result.ok;
  },

  applyModelProgress: (progress) => {
    const id = progress.modelId;
    set({ modelProgress: { ...get().modelProgress, [id]: progress } });
    if (progress.phase === 'failed' && progress.error) set({ modelErrors: { ...get().modelErrors, [id]: progress.error } });
    else if (progress.phase !== 'cancelled') set({ modelErrors: without(get().modelErrors, id) });
    if (isDownloadEnded(progress)) void get().loadModels();
  },
});
