// Settings -> "Now playing" file: where Keep listening writes the song heard now as one line ("Artist - Title"), for
// a streamer's overlay (OBS "Text" source, "Read from file"). A typed path (the app writes the file itself, in the
// desktop app and in the browser alike); Save turns it on there, Turn off stops it. Off by default.
import { useEffect, useState, useTransition } from 'react';
import { describeError, NOW_PLAYING_PATH_PROBLEM_TEXT } from '../../lib/errorText';
import { useAppStore } from '../../store/useAppStore';

export function NowPlayingFileCard() {
  const setting = useAppStore((s) => s.nowPlayingFile);
  const error = useAppStore((s) => s.nowPlayingError);
  const problem = useAppStore((s) => s.nowPlayingPathProblem);
  const load = useAppStore((s) => s.loadNowPlayingFile);
  const choose = useAppStore((s) => s.chooseNowPlayingFile);
  const [typed, setTyped] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    void load();
  }, [load]);

  const path = typed ?? setting?.path ?? '';
  const save = (next: string | null) =>
    startTransition(async () => {
      if (await choose(next)) setTyped(null);
    });

  return (
    <section className="card" aria-labelledby="now-playing-heading" data-testid="now-playing-card">
      <h2 id="now-playing-heading">&ldquo;Now playing&rdquo; file</h2>
      <p className="muted small" id="now-playing-help">
        For streamers: while Keep listening runs, this text file holds one line with the song heard now (&ldquo;Artist - Title&rdquo;), and is emptied when the
        music stops, is not in your library, or listening stops. Point an overlay at it, e.g. an OBS Text source with &ldquo;Read from file&rdquo;. Use a new
        file (or a small text file) in a folder that exists, outside the app&apos;s data folder. Off unless you set a file here.
      </p>
      <p data-testid="now-playing-state">
        {setting === null ? (
          'Loading…'
        ) : setting.path === null ? (
          'Off.'
        ) : (
          <>
            On: writes to <code>{setting.path}</code>
          </>
        )}
      </p>
      <form
        className="add-folder"
        onSubmit={(event) => {
          event.preventDefault();
          save(path);
        }}
      >
        <input
          type="text"
          data-testid="now-playing-path"
          placeholder="/home/me/obs/now-playing.txt or ~/now-playing.txt"
          aria-label="Now playing file path"
          aria-describedby="now-playing-help"
          value={path}
          spellCheck={false}
          onChange={(e) => setTyped(e.currentTarget.value)}
        />
        <button type="submit" className="button-primary" data-testid="now-playing-save" disabled={pending || !path.trim() || path.trim() === setting?.path}>
          Save
        </button>
        {setting?.path && (
          <button type="button" data-testid="now-playing-off" disabled={pending} onClick={() => save(null)}>
            Turn off
          </button>
        )}
      </form>
      {problem && (
        <div className="alert alert-error" data-testid="now-playing-error" data-code={problem} role="alert">
          {NOW_PLAYING_PATH_PROBLEM_TEXT[problem]}
        </div>
      )}
      {error && (
        <div className="alert alert-error" data-testid="now-playing-error" data-code={error.code} role="alert">
          {describeError(error)}
        </div>
      )}
      {setting?.lastError && (
        <div className="alert alert-error" data-testid="now-playing-write-failed" role="alert">
          The last update of the file failed: {describeError(setting.lastError)}
        </div>
      )}
    </section>
  );
}
