// A multipart/form-data upload streamed to a file (a long recording: up to LIMITS.maxTracklistBytes, far more than
// the host should hold in memory): one file field, a few small text fields. The file lands in the data folder's tmp/
// as it arrives; past the limit the upload is refused at once (413, even chunked) and the partial file deleted; a
// client that goes away mid-upload leaves nothing behind. The caller deletes the finished file when done with it.
import busboy from 'busboy';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { newTempPath, removeTempFile } from '../engine/tempFiles.js';

export type UploadProblem = 'not-multipart' | 'malformed' | 'too-large' | 'no-file' | 'aborted' | 'write-failed';

export class UploadError extends Error {
  constructor(
    readonly problem: UploadProblem,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export interface FileUpload {
  /** Where the file's bytes are (in `dataDir`/tmp/); the caller deletes it. */
  readonly filePath: string;
  /** The name the client gave it (its last path component), or "upload". */
  readonly fileName: string;
  readonly byteCount: number;
  readonly fields: ReadonlyMap<string, string>;
}

export interface UploadOptions {
  /** The data folder: the file goes to its tmp/. */
  readonly dataDir: string;
  readonly maxBytes: number;
  /** The form's file field (others are skipped). */
  readonly fileField: string;
}

/** The multipart envelope around the file (boundaries, headers, small fields) may add this much. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

export function receiveUploadToFile(req: IncomingMessage, options: UploadOptions): Promise<FileUpload> {
  const { maxBytes, fileField } = options;
  return new Promise<FileUpload>((resolve, reject) => {
    if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      return reject(new UploadError('not-multipart', `Send multipart/form-data with a file field "${fileField}".`));
    }
    const tooLarge = (): UploadError => new UploadError('too-large', `The file is larger than ${maxBytes} bytes.`);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes + FORM_OVERHEAD_BYTES) return reject(tooLarge());
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 8, fieldSize: 1024, parts: 10 } });
    } catch {
      req.resume();
      return reject(new UploadError('malformed', 'Malformed multipart/form-data (no boundary?).'));
    }
    const fields = new Map<string, string>();
    let failure: UploadError | null = null;
    let file: { filePath: string; fileName: string; byteCount: number; written: Promise<void>; stream: NodeJS.ReadableStream & { destroy(): void } } | null =
      null;

    const fail = (error: UploadError): void => {
      if (failure) return;
      failure = error;
      req.unpipe(parser);
      req.off('data', countBytes);
      if (error.problem !== 'too-large') req.resume();
      // The partial file goes once its write stream has let go of it (destroying the source ends the pipeline).
      const partial = file;
      if (partial) {
        partial.stream.destroy();
        void partial.written.catch(() => undefined).finally(() => (partial.filePath ? removeTempFile(partial.filePath) : undefined));
      }
      reject(error);
    };

    parser.on('file', (name, stream, info) => {
      if (name !== fileField || file || failure) {
        stream.resume();
        return;
      }
      const fileName = (info.filename || 'upload').split(/[\\/]/).pop() || 'upload';
      const current = { filePath: '', fileName, byteCount: 0, written: Promise.resolve(), stream };
      file = current;
      // Past the limit: answer 413 now, not after the rest of a body that may never end.
      stream.on('limit', () => fail(tooLarge()));
      current.written = (async () => {
        current.filePath = await newTempPath(options.dataDir, fileName);
        // No 'data' listener before this: it would set the stream flowing and lose what came before the pipe.
        const out = createWriteStream(current.filePath, { mode: 0o600 });
        await pipeline(stream, out);
        current.byteCount = out.bytesWritten;
      })();
      current.written.catch((error: unknown) => {
        stream.resume();
        fail(failure ?? new UploadError('write-failed', `The upload could not be written: ${(error as Error).message}`));
      });
    });
    parser.on('field', (name, value) => fields.set(name, value));
    parser.on('error', () => fail(new UploadError('malformed', 'Malformed multipart/form-data.')));
    parser.on('close', () => {
      const done = file;
      void (done?.written ?? Promise.resolve()).then(
        () => {
          if (failure) return;
          if (!done) return fail(new UploadError('no-file', `The form needs a file field "${fileField}".`));
          resolve({ filePath: done.filePath, fileName: done.fileName, byteCount: done.byteCount, fields });
        },
        () => undefined, // already failed
      );
    });
    // A chunked upload has no Content-Length: count the bytes as they stream, whatever the parser makes of them.
    let receivedBytes = 0;
    const countBytes = (chunk: Buffer): void => {
      receivedBytes += chunk.length;
      if (receivedBytes > maxBytes + FORM_OVERHEAD_BYTES) fail(tooLarge());
    };
    req.on('data', countBytes);
    req.on('close', () => {
      if (!req.complete) fail(new UploadError('aborted', 'The client went away before the upload was complete.'));
    });
    req.pipe(parser);
  });
}
