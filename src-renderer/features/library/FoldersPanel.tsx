// Library folders: the list with remove buttons, and adding one through the native dialog (Electron) or a typed
// path (the browser cannot see the file system, so the page asks the host for a path instead).
import { useState, useTransition } from 'react';
import { useBridge } from '../../app/bridgeContext';
import { describeError, FOLDER_PATH_PROBLEM_TEXT } from '../../lib/errorText';
import { formatDateTime } from '../../lib/format';
import { useAppStore } from '../../store/useAppStore';

export function FoldersPanel() {
  const bridge = useBridge();
  const folders = useAppStore((s) => s.folders);
  const foldersLoaded = useAppStore((s) => s.foldersLoaded);
  const folderError = useAppStore((s) => s.folderError);
  const folderPathProblem = useAppStore((s) => s.folderPathProblem);
  const addFolder = useAppStore((s) => s.addFolder);
  const removeFolder = useAppStore((s) => s.removeFolder);
  const pickAndAddFolder = useAppStore((s) => s.pickAndAddFolder);
  const [path, setPath] = useState('');
  const [pending, startTransition] = useTransition();

  const submit = () =>
    startTransition(async () => {
      if (await addFolder(path)) setPath('');
    });

  return (
    <section className="card" aria-labelledby="folders-heading">
      <h2 id="folders-heading">Folders</h2>
      {foldersLoaded && folders.length === 0 && <p className="muted" data-testid="folders-empty">No folders yet. Add the folder that holds your music.</p>}
      <ul className="folder-list" data-testid="folder-list">
        {folders.map((folder) => (
          <li key={folder.id} className="folder-item" data-testid="folder-item" data-folder-id={folder.id}>
            <div className="folder-text">
              <div className="folder-path" title={folder.path}>
                {folder.path}
              </div>
              <div className="muted small">
                {folder.exists ? `${folder.trackCount.toLocaleString()} tracks` : 'missing (unplugged?)'}
                {folder.lastScannedAt ? ` · scanned ${formatDateTime(folder.lastScannedAt)}` : ' · not scanned yet'}
              </div>
            </div>
            <button
              type="button"
              className="button-ghost"
              data-testid="folder-remove"
              aria-label={`Remove ${folder.path}`}
              disabled={pending}
              onClick={() => startTransition(() => removeFolder(folder.id))}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      {bridge.pickFolder ? (
        <button type="button" className="button-primary" data-testid="pick-folder-button" disabled={pending} onClick={() => startTransition(() => pickAndAddFolder().then(() => undefined))}>
          Add a folder…
        </button>
      ) : (
        <form
          className="add-folder"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <input
            type="text"
            data-testid="folder-path-input"
            placeholder="/home/me/Music or ~/Music"
            aria-label="Folder path"
            value={path}
            spellCheck={false}
            onChange={(e) => setPath(e.currentTarget.value)}
          />
          <button type="submit" className="button-primary" data-testid="add-folder-button" disabled={pending || !path.trim()}>
            Add
          </button>
        </form>
      )}
      {folderPathProblem && (
        <div className="alert alert-error" data-testid="folder-error" data-code={folderPathProblem} role="alert">
          {FOLDER_PATH_PROBLEM_TEXT[folderPathProblem]}
        </div>
      )}
      {folderError && (
        <div className="alert alert-error" data-testid="folder-error" data-code={folderError.code} role="alert">
          {describeError(folderError)}
        </div>
      )}
    </section>
  );
}
