// Status notices from the engine's health checks ("rebuilding the fingerprint index"), and a status that could not
// be read at all, in plain words.
import { useShallow } from 'zustand/react/shallow';
import { describeError, describeNotice } from '../lib/errorText';
import { useAppStore } from '../store/useAppStore';

export function Notices() {
  const notices = useAppStore(useShallow((s) => s.status?.notices ?? []));
  const statusError = useAppStore((s) => s.statusError);
  if (notices.length === 0 && !statusError) return null;
  return (
    <div className="notices" data-testid="notices" role="status">
      {statusError && (
        <div className="notice notice-error" data-testid="status-error">
          {describeError(statusError)}
        </div>
      )}
      {notices.map((notice, i) => (
        <div key={`${notice.code}-${i}`} className={`notice notice-${notice.code}`} data-testid="notice" data-code={notice.code}>
          {describeNotice(notice)}
        </div>
      ))}
    </div>
  );
}
