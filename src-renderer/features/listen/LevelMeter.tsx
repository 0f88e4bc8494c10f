// The live microphone level: RMS shown on a -60..0 dBFS scale.
const FLOOR_DB = -60;

export function levelFraction(levelRms: number): number {
  if (levelRms <= 0) return 0;
  const db = 20 * Math.log10(levelRms);
  return Math.max(0, Math.min(1, (db - FLOOR_DB) / -FLOOR_DB));
}

export function LevelMeter({ levelRms, active }: { levelRms: number; active: boolean }) {
  const fraction = active ? levelFraction(levelRms) : 0;
  return (
    <div
      className="level-meter"
      data-testid="listen-level"
      data-level={fraction.toFixed(3)}
      role="meter"
      aria-label="Microphone level"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(fraction * 100)}
    >
      <div className="level-meter-fill" style={{ transform: `scaleX(${fraction})` }} />
    </div>
  );
}
