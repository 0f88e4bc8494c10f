// First run: an empty library opens here, not on Listen. One step: add the folder that holds your music (the native
// dialog in the desktop app, a typed path such as ~/Music in the browser); then the Library shows the scan and the
// tracks as they are found.
import { useBridge } from '../../app/bridgeContext';
import { useAppStore } from '../../store/useAppStore';
import { AddFolderForm } from '../library/AddFolderForm';

export function WelcomeScreen() {
  const bridge = useBridge();
  const showScreen = useAppStore((s) => s.showScreen);
  return (
    <section className="card welcome-card" data-testid="welcome" aria-labelledby="welcome-heading">
      <h1 id="welcome-heading">Welcome to audio-ident</h1>
      <p>
        It names the song playing around you, and where in the song you are, by comparing it with <strong>your own music</strong>. So first, show it your music
        folder: it is read on this computer and nothing is uploaded.
      </p>
      <ol className="welcome-steps">
        <li>
          {bridge.pickFolder ? 'Choose the folder that holds your music.' : 'Type the full path of the folder that holds your music (for example ~/Music).'}
        </li>
        <li>Wait a moment while it is indexed: the tracks appear in the Library as they are found.</li>
        <li>Press Listen (or Space) while a song plays, or drop an audio file on the window.</li>
      </ol>
      <div className="welcome-add">
        <AddFolderForm large onAdded={() => showScreen('library')} />
      </div>
    </section>
  );
}
