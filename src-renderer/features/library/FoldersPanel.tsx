// Library folders: the list with remove buttons, and adding one through the native dialog (Electron) or a typed
// path (the browser cannot see the file system, so the page asks the host for a path instead).
import { useTransition } from 'react';
import { formatDateTime } from '../../lib/format';
import { useAppStore } from '../../store/useAppStore';
import { AddFolderForm } from './AddFolderForm';

export function FoldersPanel() {
  const folders = useAppStore((s) => s.folders);
  const foldersLoaded = useAppStore((s) => s.foldersLoaded);
  const removeFolder = useAppStore((s) => s.removeFolder);
  const [pending, startTransition] = useTransition();

  return (
    <section className="card" aria-labelledby="folders-heading">
      <h2 id="folders-heading">Folders</h2>
      {foldersLoaded && folders.length === 0 && (
        <p className="muted" data-testid="folders-empty">
          No folders yet. Add the folder that holds your music.
        </p>
      )}
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
      <AddFolderForm />
    </section>
  );
}
