// "Show in folder" with electron's shell mocked: our page naming a known track opens the file manager at the
// catalog's path; other senders, garbage ids, unknown tracks and missing files open nothing.
import { describe, expect, it, vi } from 'vitest';
import { SHOW_IN_FOLDER_CHANNEL } from '../../src-preload/contract/api.js';
import type { Result, TrackDetail } from '../../src-preload/contract/library.js';
import { registerShowInFolderHandler } from './showInFolder.js';

const OWN_PAGE = 'app://audio-ident/index.html';
const TRACK_ID = '0b6f3c2e-8a51-4c8e-9c1d-2f0a9e6b7d41';
const PATH = '/music/Band/01 Song.flac';

function setup(options: { exists?: boolean } = {}) {
  let handler: ((event: unknown, ...args: unknown[]) => Promise<unknown>) | undefined;
  const ipcMain = {
    handle: vi.fn((channel: string, h: typeof handler) => {
      expect(channel).toBe(SHOW_IN_FOLDER_CHANNEL);
      handler = h;
    }),
  };
  const shell = { showItemInFolder: vi.fn() };
  const getTrack = vi.fn(async (id: string): Promise<Result<TrackDetail>> =>
    id === TRACK_ID ? { ok: true, value: { id, filePath: PATH } as unknown as TrackDetail } : { ok: false, error: { code: 'not-found' } },
  );
  registerShowInFolderHandler(ipcMain as never, shell, Promise.resolve({ getTrack } as never), () => options.exists ?? true);
  const invoke = (frameUrl: string | null, ...args: unknown[]) => handler!({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args);
  return { shell, getTrack, invoke };
}

describe('registerShowInFolderHandler', () => {
  it('shows the catalog path of the track our page names', async () => {
    const { shell, getTrack, invoke } = setup();
    await expect(invoke(OWN_PAGE, TRACK_ID.toUpperCase())).resolves.toBe(true);
    expect(getTrack).toHaveBeenCalledWith(TRACK_ID);
    expect(shell.showItemInFolder).toHaveBeenCalledWith(PATH);
  });

  it('opens nothing for another sender, a path instead of an id, an unknown track or a missing file', async () => {
    const { shell, invoke } = setup();
    await expect(invoke('https://evil.example/', TRACK_ID)).resolves.toBe(false);
    await expect(invoke(null, TRACK_ID)).resolves.toBe(false);
    await expect(invoke(OWN_PAGE, '/etc/passwd')).resolves.toBe(false);
    await expect(invoke(OWN_PAGE)).resolves.toBe(false);
    await expect(invoke(OWN_PAGE, '00000000-0000-4000-8000-000000000000')).resolves.toBe(false);
    expect(shell.showItemInFolder).not.toHaveBeenCalled();
    const gone = setup({ exists: false });
    await expect(gone.invoke(OWN_PAGE, TRACK_ID)).resolves.toBe(false);
    expect(gone.shell.showItemInFolder).not.toHaveBeenCalled();
  });
});
