// `audio-ident serve`: the library in its worker thread (openBackend, as the desktop app), the browser host in front
// of it (the page, its /rpc door and the scripts' HTTP API), until SIGINT/SIGTERM.
import path from 'node:path';
import { readModelRegistry } from '../engine/embedding/modelRegistry.js';
import { appVersion, type CliIo } from './cliLibrary.js';
import { openBackend } from './openBackend.js';
import { startHost } from './server.js';
import { terminalText as t } from './terminalText.js';

/** `serve`: the library in its worker, the browser host in front of it, until SIGINT/SIGTERM. */
export async function serve(
  io: CliIo,
  options: { dataDir: string; port: number; token: string | undefined; workerCount: number | undefined },
): Promise<number> {
  const version = appVersion();
  // Test-only: AUDIO_IDENT_MODEL_REGISTRY=/abs/registry.json replaces the downloadable vibe models (CLAP) with the
  // ones it lists (the e2e serves a small generated model from a local server), like AUDIO_IDENT_FAKE_MIC for the mic.
  const registryPath = process.env.AUDIO_IDENT_MODEL_REGISTRY;
  const downloadableModels = registryPath ? readModelRegistry(path.resolve(registryPath)) : undefined;
  const backend = await openBackend({ dataDir: options.dataDir, watch: true, appVersion: version, workerCount: options.workerCount, downloadableModels });
  let host;
  try {
    host = await startHost({ backend, port: options.port, token: options.token, appVersion: version, dataDir: options.dataDir });
  } catch (error) {
    await backend.close();
    throw error;
  }
  io.stdout(`audio-ident is running at ${host.url}\n`);
  io.stderr(`library data: ${t(options.dataDir)}\nopen the URL above in a browser; Ctrl+C stops the server\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (s: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(s);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stderr(`${signal}: stopping (finishing the files in flight)...\n`);
  await host.close();
  await backend.close();
  io.stderr('stopped\n');
  return 0;
}
