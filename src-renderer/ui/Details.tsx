// The one place technical facts live (hashes, landmark counts, SHA-256, model ids and dimensions, raw decoder
// messages): closed under a "Details" disclosure, so the plain words come first and the figures stay one click away.
import type { ReactNode } from 'react';

export function Details({ children, summary = 'Details', testId }: { children: ReactNode; summary?: string; testId?: string }) {
  return (
    <details className="tech-details" data-testid={testId}>
      <summary>{summary}</summary>
      <div className="tech-details-body muted small">{children}</div>
    </details>
  );
}
