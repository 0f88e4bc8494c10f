// Settings: the vibe lane's models (the built-in one and those downloaded on demand, e.g. CLAP), the scan that
// re-embeds the library after switching models, and Keep listening's "now playing" file.
import { useEffect } from 'react';
import { describeError } from '../../lib/errorText';
import { useAppStore } from '../../store/useAppStore';
import { ScanPanel } from '../library/ScanPanel';
import { ModelCard } from './ModelCard';
import { NowPlayingFileCard } from './NowPlayingFileCard';

export function SettingsScreen() {
  const models = useAppStore((s) => s.models);
  const loaded = useAppStore((s) => s.modelsLoaded);
  const error = useAppStore((s) => s.modelsError);
  const loadModels = useAppStore((s) => s.loadModels);

  useEffect(() => {
    void loadModels();
  }, [loadModels]);

  return (
    <div className="settings-screen">
      <section className="card" aria-labelledby="models-heading">
        <h2 id="models-heading">Vibe models</h2>
        <p className="muted small">
          The model that finds the songs in your library that sound like a clip. The built-in one works offline; larger models are downloaded once, checked so
          that a damaged or altered file is never used, and kept in your data folder. Switching models re-indexes your library.
        </p>
        {error && (
          <div className="alert alert-error" role="alert" data-testid="models-error">
            {describeError(error)}
          </div>
        )}
        {!loaded && !error && <p className="muted">Loading…</p>}
        <ul className="model-list" data-testid="model-list">
          {models.map((m) => (
            <ModelCard key={m.id} model={m} />
          ))}
        </ul>
      </section>
      <ScanPanel />
      <NowPlayingFileCard />
    </div>
  );
}
