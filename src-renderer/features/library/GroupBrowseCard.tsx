// The shell the Albums and Artists views share: a heading with the group count, the browse error in words, a line when
// the library has none, the view's own list, and "Show more" while pages remain.
import type { ReactNode } from 'react';
import { describeError } from '../../lib/errorText';
import { useAppStore } from '../../store/useAppStore';

export function GroupBrowseCard(props: {
  /** 'albums' or 'artists': the heading's id, the test ids and the words derive from it. */
  readonly group: 'albums' | 'artists';
  readonly title: string;
  readonly total: number | null;
  readonly shown: number;
  readonly emptyText: string;
  readonly emptyTestId?: string;
  readonly children: ReactNode;
}) {
  const { group, total } = props;
  const error = useAppStore((s) => s.browseError);
  const loadMore = useAppStore((s) => s.loadMoreGroups);
  const one = group === 'albums' ? 'album' : 'artist';
  return (
    <section className="card browse-card" aria-labelledby={`${group}-heading`}>
      <div className="tracks-head">
        <h2 id={`${group}-heading`}>{props.title}</h2>
        <span className="muted tabular" data-testid={`${one}-count`}>
          {total === null ? '…' : `${total.toLocaleString()} ${group}`}
        </span>
      </div>
      {error && (
        <div className="alert alert-error" role="alert">
          {describeError(error)}
        </div>
      )}
      {total === 0 && (
        <p className="muted" {...(props.emptyTestId ? { 'data-testid': props.emptyTestId } : {})}>
          {props.emptyText}
        </p>
      )}
      {props.children}
      {total !== null && props.shown < total && (
        <button type="button" className="button-ghost" data-testid={`${group}-more`} onClick={() => void loadMore(group)}>
          Show more {group}
        </button>
      )}
    </section>
  );
}
