// The chosen input through the store: the computer's own sound is remembered like a microphone (settings in
// localStorage, stubbed here, so this file runs in a process of its own: ISOLATED in vitest.config.ts), the picker
// learns what this window can do, and Keep listening and Listen open it; when the share brings no sound, both say so
// in plain words instead of an internal error.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ListenProblemError } from '../../store/listenProblem';
import { createBoundTestStore, createTestStore, htmlText } from '../../store/testDeps';
import { KeepListeningView } from './KeepListening';
import { ResultPanel } from './ResultPanel';
import { SYSTEM_AUDIO_INPUT_ID } from './systemAudio';

const saved = new Map<string, string>();
beforeAll(() => {
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => saved.get(key) ?? null,
    setItem: (key: string, value: string) => void saved.set(key, value),
    removeItem: (key: string) => void saved.delete(key),
  });
});
afterAll(() => vi.unstubAllGlobals());

describe('the computer’s own sound as the chosen input', () => {
  it('is remembered like a microphone choice, across a restart, and forgotten for the default input', () => {
    const first = createTestStore().store;
    expect(first.getState().settings.micDeviceId).toBeNull();
    first.getState().setMicDeviceId(SYSTEM_AUDIO_INPUT_ID);
    expect(createTestStore().store.getState().settings.micDeviceId).toBe(SYSTEM_AUDIO_INPUT_ID);
    first.getState().setMicDeviceId('usb-mic');
    expect(createTestStore().store.getState().settings.micDeviceId).toBe('usb-mic');
    first.getState().setMicDeviceId(null);
    expect(createTestStore().store.getState().settings.micDeviceId).toBeNull();
  });

  it('the picker learns the inputs and what this window can do; a failing question counts as "cannot"', async () => {
    const { store, mic } = createTestStore();
    expect(store.getState().systemAudio).toBeNull();
    mic.systemAudioAvailability = 'loopback';
    await store.getState().loadMicInputs();
    expect(store.getState().systemAudio).toBe('loopback');
    expect(store.getState().micInputs.map((i) => i.deviceId)).toEqual(['default-mic', 'monitor']);
    mic.systemAudio = () => Promise.reject(new Error('bridge gone'));
    await store.getState().loadMicInputs();
    expect(store.getState().systemAudio).toBe('unsupported');
    expect(store.getState().micInputs).toHaveLength(2);
  });

  it('Keep listening opens it at 8 kHz, and a share without sound ends it with plain words', async () => {
    const { store, mic } = createBoundTestStore({ startScanned: true });
    store.getState().setMicDeviceId(SYSTEM_AUDIO_INPUT_ID);
    await store.getState().startKeepListening();
    expect(mic.lastOptions).toEqual({ targetRateHz: 8000, deviceId: SYSTEM_AUDIO_INPUT_ID });
    await store.getState().stopKeepListening();

    mic.failWith = new ListenProblemError('no-system-audio');
    await store.getState().startKeepListening();
    expect(store.getState().keep).toMatchObject({ phase: 'idle', listenProblem: 'no-system-audio', error: null });
    const view = htmlText(renderToStaticMarkup(<KeepListeningView />));
    expect(view).toContain('No sound was shared');
    expect(view).toContain('Share tab audio');
    expect(view).not.toContain('microphone could not be opened');
  });

  it('Listen opens it too, and a closed share dialog is said as such, not as a refused microphone', async () => {
    const { store, mic } = createBoundTestStore();
    store.getState().setMicDeviceId(SYSTEM_AUDIO_INPUT_ID);
    mic.failWith = new ListenProblemError('system-audio-cancelled');
    await store.getState().startListening();
    expect(mic.lastOptions).toMatchObject({ deviceId: SYSTEM_AUDIO_INPUT_ID });
    const outcome = store.getState().outcome!;
    expect(outcome).toMatchObject({ listenProblem: 'system-audio-cancelled', error: null, result: null });
    const panel = htmlText(renderToStaticMarkup(<ResultPanel />));
    expect(panel).toContain("The computer's sound was not shared");
    expect(panel).not.toContain('may not use the microphone');
  });
});
