// Plain words for every error code the engine can send (the contract's APP_ERRORS table holds them beside each code),
// and for the notices the status carries. The only place the UI turns a code into text.
import type { Notice } from '../../src-preload/contract/api';
import { APP_ERROR_CODES, APP_ERRORS, type AppErrorCode, type AppErrorInfo } from '../../src-preload/contract/library';
import type { ListenProblem } from '../store/listenProblem';
import type { FolderPathProblem } from '../store/librarySlice';
import type { NowPlayingPathProblem } from '../features/settings/nowPlayingSlice';

export const ERROR_TEXT = Object.fromEntries(APP_ERROR_CODES.map((code) => [code, APP_ERRORS[code].words])) as Readonly<Record<AppErrorCode, string>>;

/** The plain words of an error alone; its detail (a raw decoder message, a URL) goes under a Details disclosure. */
export function errorWords(error: AppErrorInfo): string {
  return ERROR_TEXT[error.code] ?? ERROR_TEXT.internal;
}

/** Words for an error, with the engine's detail (a path, a limit) appended when there is one. */
export function describeError(error: AppErrorInfo): string {
  const words = errorWords(error);
  return error.detail ? `${words} (${error.detail})` : words;
}

/**
 * A model download that did not finish (offline, a server error, a file that failed its check): what to do, and
 * that nothing changed meanwhile. `inUse`: the description of the model in use, or null for the built-in one.
 */
export function modelDownloadFailedText(inUse: string | null): string {
  const staying = inUse === null ? 'The built-in model stays in use' : `${inUse} stays in use`;
  return `The model could not be downloaded. Check your internet connection, then press Download again: it resumes where it stopped. ${staying} meanwhile.`;
}

export const NOTICE_TEXT = {
  'catalog-unavailable': 'The library catalog could not be opened; it was left untouched.',
  'store-rebuilding': 'Rebuilding the fingerprint index from your music. Identification may miss tracks until it is done.',
  'store-rebuilt': 'The fingerprint index was rebuilt.',
  'folder-missing': 'A library folder is missing (an unplugged drive?). Its tracks are kept until it comes back.',
  'scan-failed': 'The last scan failed.',
  'model-unavailable': 'The vibe model you chose could not be loaded, so the built-in model is used instead. Download it again under Settings.',
} as const satisfies Record<Notice['code'], string>;

/** Words for a notice; when it carries an error (catalog-unavailable), the error's own words say why. */
export function describeNotice(notice: Notice): string {
  const words = notice.error ? `${NOTICE_TEXT[notice.code]} ${describeError(notice.error)}` : NOTICE_TEXT[notice.code];
  return notice.detail ? `${words} (${notice.detail})` : words;
}

/** Why a Listen gave no answer (the page's own reasons, not the engine's): a title and what to do about it. */
export const LISTEN_PROBLEM_TEXT = {
  'no-microphone': {
    title: 'No microphone was found',
    advice:
      'Connect a microphone (or a headset with one), check that it is switched on and selected as the input in your system sound settings, then press Listen again. You can also drop an audio file instead.',
  },
  'microphone-denied': {
    title: 'The app may not use the microphone',
    advice:
      'Access to the microphone was refused. Allow it in the browser (the microphone icon in the address bar, or the site settings) or, for the desktop app, in your system privacy settings, then press Listen again.',
  },
  'too-little-audio': {
    title: 'Stopped too early',
    advice:
      'Listen was stopped before enough music was heard to tell (a few seconds are needed), so nothing was searched or added to History. Press Listen and let it run until it answers.',
  },
  'system-audio-cancelled': {
    title: "The computer's sound was not shared",
    advice:
      'The share dialog was closed, or the system refused it. Press Listen again and choose what to share, or pick a microphone under “Listen with”. In the desktop app on a Mac, allow audio-ident under System Settings › Privacy & Security › Screen & System Audio Recording.',
  },
  'no-system-audio': {
    title: 'No sound was shared',
    advice:
      "The app was given a picture but no sound. In the browser's share dialog, pick the tab that plays the music and leave “Share tab audio” on (on Windows and ChromeOS, sharing the entire screen with “Share system audio” works too). In the desktop app on a Mac, allow audio-ident under System Settings › Privacy & Security › Screen & System Audio Recording, then try again.",
  },
  'system-audio-unavailable': {
    title: "The computer's own sound cannot be recorded here",
    advice:
      "This browser or system offers no way to record what the computer plays. On Linux, pick a “Computer's sound (monitor of …)” input under “Listen with”; in a browser, Chrome or Edge can share a tab's sound; otherwise play the music aloud near a microphone.",
  },
} as const satisfies Record<ListenProblem, { title: string; advice: string }>;

/** A typed now-playing file path the page refused before sending it. */
export const NOW_PLAYING_PATH_PROBLEM_TEXT = {
  'relative-path': 'Type the full path of the file, e.g. /home/you/obs/now-playing.txt or ~/now-playing.txt.',
} as const satisfies Record<NowPlayingPathProblem, string>;

/** A typed folder path the page refused before sending it. */
export const FOLDER_PATH_PROBLEM_TEXT = {
  'relative-path': 'Type the full path of the folder, e.g. /home/you/Music or ~/Music.',
} as const satisfies Record<FolderPathProblem, string>;
