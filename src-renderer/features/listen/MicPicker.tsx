// "Listen with": the input Listen and Keep listening open, remembered in the settings. The system's default input,
// the computer's own sound where this window can have it, then every input, Linux's "Monitor of ..." inputs named as
// the computer's sound; a choice that is gone stays listed as such. Below it, in plain words, what the computer's own
// sound needs here, or why it cannot be had.
import { useEffect } from 'react';
import { useAppStore } from '../../store/useAppStore';
import { SYSTEM_AUDIO_INPUT_ID, SYSTEM_AUDIO_NOTE, inputLabel, isMonitorInput } from './systemAudio';

const MONITOR_NOTE = "To name what the computer plays, pick a “Computer's sound (monitor of …)” input: it records what that output plays.";

export function MicPicker() {
  const inputs = useAppStore((s) => s.micInputs);
  const systemAudio = useAppStore((s) => s.systemAudio);
  const chosen = useAppStore((s) => s.settings.micDeviceId);
  const setMicDeviceId = useAppStore((s) => s.setMicDeviceId);
  const loadMicInputs = useAppStore((s) => s.loadMicInputs);
  useEffect(() => {
    void loadMicInputs();
  }, [loadMicInputs]);
  const offersSystemAudio = systemAudio === 'loopback' || systemAudio === 'share-dialog';
  // Chosen before and not asked about yet: listed as chosen until the answer comes.
  const listsSystemAudio = offersSystemAudio || (systemAudio === null && chosen === SYSTEM_AUDIO_INPUT_ID);
  const known = chosen === null || inputs.some((i) => i.deviceId === chosen) || (chosen === SYSTEM_AUDIO_INPUT_ID && listsSystemAudio);
  const hasMonitor = inputs.some(isMonitorInput);
  // Where the window has no way of its own, a monitor input is the way: then the note says that instead.
  const note = systemAudio !== null && (offersSystemAudio || !hasMonitor) ? SYSTEM_AUDIO_NOTE[systemAudio] : hasMonitor ? MONITOR_NOTE : null;
  return (
    <div className="mic-picker">
      <label htmlFor="mic-select">Listen with</label>
      <select
        id="mic-select"
        data-testid="mic-select"
        value={chosen ?? ''}
        onChange={(e) => setMicDeviceId(e.currentTarget.value || null)}
        aria-describedby={note ? 'mic-help' : undefined}
      >
        <option value="">The system&apos;s default input</option>
        {listsSystemAudio && (
          <option value={SYSTEM_AUDIO_INPUT_ID} data-testid="mic-option-system-audio">
            This computer&apos;s sound
          </option>
        )}
        {!known && (
          <option value={chosen}>
            {chosen === SYSTEM_AUDIO_INPUT_ID ? "This computer's sound (not available here)" : 'The input chosen before (not connected now)'}
          </option>
        )}
        {inputs.map((input, i) => (
          <option key={input.deviceId} value={input.deviceId}>
            {inputLabel(input, i)}
          </option>
        ))}
      </select>
      {note && (
        <p id="mic-help" className="muted keep-help" data-testid="mic-help" data-system-audio={systemAudio ?? 'unknown'}>
          {note}
        </p>
      )}
    </div>
  );
}
