// Which embedder the vibe lane uses, remembered across restarts in <dataDir>/vibe-model.json ({"modelId": "..."}),
// written atomically (temp file + rename). A JSON file rather than a catalog table: it is a setting, not library
// data, it must be readable before the catalog opens (LibraryEngine.open takes the embedder), and a migration would make
// an older app refuse the whole catalog ('catalog-newer-than-app') for one setting. Sync fs; any thread.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILTIN_MODEL_ID } from './embedderManifest.js';

export const ACTIVE_MODEL_FILE = 'vibe-model.json';

/** The chosen model's id; BUILTIN_MODEL_ID when none was chosen, an older built-in one was, or the file is unreadable. */
export function readActiveModelId(dataDir: string): string {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dataDir, ACTIVE_MODEL_FILE), 'utf8')) as { modelId?: unknown };
    if (typeof parsed.modelId !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(parsed.modelId)) return BUILTIN_MODEL_ID;
    // An earlier version of the built-in model means "the built-in one": the new version replaced it.
    return parsed.modelId.startsWith('builtin-') ? BUILTIN_MODEL_ID : parsed.modelId;
  } catch {
    return BUILTIN_MODEL_ID;
  }
}

/** Remembers `modelId` (atomically: a crash leaves the old choice or the new one, never half a file). */
export function writeActiveModelId(dataDir: string, modelId: string): void {
  const file = path.join(dataDir, ACTIVE_MODEL_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify({ modelId }, null, 2)}\n`);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}
