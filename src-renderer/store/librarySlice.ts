// Library folders (add, remove), the scan (progress from pushes, cancel, rescan) and the files that failed to index.
import type { FolderSummary } from '../../src-preload/contract/api';
import { isAbsoluteOrHomePath } from '../../src-preload/contract/parseArgs';
import type { AppErrorInfo, FailedFile, FolderId } from '../../src-preload/contract/library';
import { INITIAL_SCAN, reduceScan, type ScanEvent, type ScanState } from './scanReducer';
import type { SliceCreator } from './types';

export const FAILED_PER_PAGE = 100;

/** A typed path that names no folder by itself: relative ("Music", "./x") paths depend on where the host runs. */
export type FolderPathProblem = 'relative-path';

export interface LibrarySlice {
  folders: readonly FolderSummary[];
  foldersLoaded: boolean;
  /** The last folder action's error (shown beside the folder list until the next action). */
  folderError: AppErrorInfo | null;
  /** A typed folder path the page refused before sending it (words in lib/errorText.ts), null when none. */
  folderPathProblem: FolderPathProblem | null;
  folderBusy: boolean;
  scan: ScanState;
  failedFiles: readonly FailedFile[];
  failedTotal: number;
  loadFolders: () => Promise<void>;
  addFolder: (folderPath: string) => Promise<boolean>;
  removeFolder: (folderId: FolderId) => Promise<void>;
  /** Opens the native folder dialog (Electron) and adds the chosen folder; false when there is no dialog. */
  pickAndAddFolder: () => Promise<boolean>;
  rescan: () => Promise<void>;
  cancelScan: () => Promise<void>;
  applyScanEvent: (event: ScanEvent) => void;
  loadFailedFiles: () => Promise<void>;
}

export const createLibrarySlice: SliceCreator<LibrarySlice> = (deps) => (set, get) => ({
  folders: [],
  foldersLoaded: false,
  folderError: null,
  folderPathProblem: null,
  folderBusy: false,
  scan: INITIAL_SCAN,
  failedFiles: [],
  failedTotal: 0,

  loadFolders: async () => {
    const result = await deps.bridge.listFolders();
    if (result.ok) set({ folders: result.value, foldersLoaded: true });
    else set({ folderError: result.error, foldersLoaded: true });
  },

  addFolder: async (folderPath) => {
    const trimmed = folderPath.trim();
    if (!trimmed) return false;
    if (!isAbsoluteOrHomePath(trimmed)) {
      set({ folderError: null, folderPathProblem: 'relative-path' });
      return false;
    }
    set({ folderBusy: true, folderError: null, folderPathProblem: null });
    const result = await deps.bridge.addFolder(trimmed);
    set({ folderBusy: false });
    if (!result.ok) {
      set({ folderError: result.error });
      return false;
    }
    const others = get().folders.filter((f) => f.id !== result.value.id);
    set({ folders: [...others, result.value] });
    void get().loadFolders();
    return true;
  },

  removeFolder: async (folderId) => {
    set({ folderBusy: true, folderError: null, folderPathProblem: null });
    const result = await deps.bridge.removeFolder(folderId);
    set({ folderBusy: false });
    if (!result.ok) set({ folderError: result.error });
    else set({ folders: get().folders.filter((f) => f.id !== folderId) });
  },

  pickAndAddFolder: async () => {
    const pick = deps.bridge.pickFolder;
    if (!pick) return false;
    const chosen = await pick();
    if (chosen) await get().addFolder(chosen);
    return true;
  },

  rescan: async () => {
    const result = await deps.bridge.rescan();
    if (!result.ok) set({ folderError: result.error });
  },

  cancelScan: async () => {
    get().applyScanEvent({ type: 'cancel-requested' });
    const result = await deps.bridge.cancelScan();
    if (!result.ok) set({ folderError: result.error });
  },

  applyScanEvent: (event) => set({ scan: reduceScan(get().scan, event) }),

  loadFailedFiles: async () => {
    const result = await deps.bridge.listFailedFiles({ page: 1, perPage: FAILED_PER_PAGE });
    if (result.ok) set({ failedFiles: result.value.items, failedTotal: result.value.total });
  },
});
