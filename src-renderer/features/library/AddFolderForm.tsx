// Adding a library folder: the native folder dialog in the desktop app, a typed path in the browser (which cannot
// see the host's file system; "~/Music" is expanded by the host). Used by the Folders card and the first-run welcome.
import { useState, useTransition } from 'react';
import { useBridge } from '../../app/bridgeContext';
import { describeError, FOLDER_PATH_PROBLEM_TEXT } from '../../lib/errorText';
import { getAppStore, useAppStore } from '../../store/useAppStore';

export function AddFolderForm({ onAdded, large = false }: { onAdded?: () => void; large?: boolean }) {
  const bridge = useBridge();
  const folderError = useAppStore((s) => s.folderError);
  const folderPathProblem = useAppStore((s) => s.folderPathProblem);
  const addFolder = useAppStore((s) => s.addFolder);
  const pickAndAddFolder = useAppStore((s) => s.pickAndAddFolder);
  const [path, setPath] = useState('');
  const [pending, startTransition] = useTransition();

  const submit = () =>
    startTransition(async () => {
      if (await addFolder(path)) {
        setPath('');
        onAdded?.();
      }
    });

  return (
    <>
      {bridge.pickFolder ? (
        <button
          type="button"
          className={`button-primary${large ? ' button-large' : ''}`}
          data-testid="pick-folder-button"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const before = getAppStore().getState().folders.length;
              await pickAndAddFolder();
              if (getAppStore().getState().folders.length > before) onAdded?.();
            })
          }
        >
          Add a music folder…
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
    </>
  );
}
