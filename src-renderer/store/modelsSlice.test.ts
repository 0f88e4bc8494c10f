// The Settings screen's model store against the fake bridge: download with progress pushes -> installed -> use it
// (a rescan starts); cancel leaves a partial download that resumes; a failed download keeps its error; using a model
// that is not downloaded is a model-missing error.
import { describe, expect, it, vi } from 'vitest';
import type { ModelProgress } from '../../src-preload/contract/library';
import { FAKE_BUILTIN_MODEL_ID, FAKE_CLAP_MODEL_ID, MODEL_STEPS } from '../lib/fakeBridge';
import { connectAppStore } from './appStore';
import { createTestStore } from './testDeps';

const model = (store: ReturnType<typeof createTestStore>['store'], id: string) => store.getState().models.find((m) => m.id === id)!;

describe('models slice', () => {
  it('lists the models, downloads one with progress, and uses it (the library is re-embedded)', async () => {
    const { store, bridge, deps } = createTestStore({ modelStepMs: 5, scanStepMs: 5, startScanned: true });
    const disconnect = connectAppStore(store, deps);
    await vi.waitFor(() => expect(store.getState().modelsLoaded).toBe(true));
    expect(store.getState().models.map((m) => [m.id, m.state, m.active])).toEqual([
      [FAKE_BUILTIN_MODEL_ID, 'builtin', true],
      [FAKE_CLAP_MODEL_ID, 'missing', false],
    ]);

    const seen: ModelProgress[] = [];
    const off = bridge.on('modelProgress', (p) => seen.push(p));
    await store.getState().installModel(FAKE_CLAP_MODEL_ID);
    expect(store.getState().modelProgress[FAKE_CLAP_MODEL_ID]?.phase).toBe('downloading');
    await vi.waitFor(() => expect(model(store, FAKE_CLAP_MODEL_ID).state).toBe('installed'));
    off();
    expect(seen.map((p) => p.phase)).toEqual([...Array(MODEL_STEPS).fill('downloading'), 'verifying', 'installed']);
    expect(store.getState().modelProgress[FAKE_CLAP_MODEL_ID]).toMatchObject({ phase: 'installed', receivedBytes: model(store, FAKE_CLAP_MODEL_ID).sizeBytes });
    expect(store.getState().modelErrors).toEqual({});

    const rescans = bridge.calls.length;
    expect(await store.getState().useModel(FAKE_CLAP_MODEL_ID)).toBe(true);
    expect(bridge.calls.slice(rescans).map((c) => c.method)).toEqual(['useModel', 'listModels', 'getStatus']);
    expect(model(store, FAKE_CLAP_MODEL_ID).active).toBe(true);
    expect(model(store, FAKE_BUILTIN_MODEL_ID).active).toBe(false);
    await vi.waitFor(() => expect(store.getState().scan.running).toBe(true)); // the re-embedding scan
    expect(store.getState().modelSwitching).toBeNull();
    disconnect();
  });

  it('cancel leaves a partial download, and Download resumes it', async () => {
    const { store, deps } = createTestStore({ modelStepMs: 20 });
    const disconnect = connectAppStore(store, deps);
    await vi.waitFor(() => expect(store.getState().modelsLoaded).toBe(true));
    await store.getState().installModel(FAKE_CLAP_MODEL_ID);
    await vi.waitFor(() => expect(store.getState().modelProgress[FAKE_CLAP_MODEL_ID]?.receivedBytes).toBeGreaterThan(0));
    await store.getState().cancelModelInstall(FAKE_CLAP_MODEL_ID);
    await vi.waitFor(() => expect(model(store, FAKE_CLAP_MODEL_ID).state).toBe('partial'));
    const partial = model(store, FAKE_CLAP_MODEL_ID);
    expect(partial.installing).toBe(false);
    expect(store.getState().modelProgress[FAKE_CLAP_MODEL_ID]?.phase).toBe('cancelled');
    expect(partial.downloadedBytes).toBeGreaterThan(0);
    expect(partial.downloadedBytes).toBeLessThan(partial.sizeBytes);

    await store.getState().installModel(FAKE_CLAP_MODEL_ID);
    // The bar starts where the partial file ends, not at zero.
    expect(store.getState().modelProgress[FAKE_CLAP_MODEL_ID]?.receivedBytes).toBe(partial.downloadedBytes);
    await vi.waitFor(() => expect(model(store, FAKE_CLAP_MODEL_ID).state).toBe('installed'));
    disconnect();
  });

  it('keeps a failed download error for the model, and refuses to use a model that is not downloaded', async () => {
    const failure = { code: 'model-missing' as const, detail: 'the SHA-256 differs from the pinned one' };
    const { store, deps } = createTestStore({ modelStepMs: 2, modelFailure: failure });
    const disconnect = connectAppStore(store, deps);
    await vi.waitFor(() => expect(store.getState().modelsLoaded).toBe(true));

    expect(await store.getState().useModel(FAKE_CLAP_MODEL_ID)).toBe(false);
    expect(store.getState().modelErrors[FAKE_CLAP_MODEL_ID]?.code).toBe('model-missing');
    expect(model(store, FAKE_BUILTIN_MODEL_ID).active).toBe(true);

    await store.getState().installModel(FAKE_CLAP_MODEL_ID);
    expect(store.getState().modelErrors[FAKE_CLAP_MODEL_ID]).toBeUndefined(); // a new attempt clears the old error
    await vi.waitFor(() => expect(store.getState().modelProgress[FAKE_CLAP_MODEL_ID]?.phase).toBe('failed'));
    expect(store.getState().modelErrors[FAKE_CLAP_MODEL_ID]).toEqual(failure);
    await vi.waitFor(() => expect(model(store, FAKE_CLAP_MODEL_ID).state).toBe('missing'));

    await store.getState().installModel('no-such-model');
    expect(store.getState().modelErrors['no-such-model']?.code).toBe('not-found');
    expect(store.getState().modelProgress['no-such-model']).toBeUndefined();
    disconnect();
  });
});
