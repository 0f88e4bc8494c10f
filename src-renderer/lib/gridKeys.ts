// Arrow-key movement in a one-tab-stop list or grid (the roving tabindex pattern): which row a key moves the focus
// to. Pure. Up/Down one row, PageUp/PageDown one screenful, Home/End (or Ctrl+Home/End) the ends; null for other keys.

export function movedRowIndex(key: string, current: number, rowCount: number, rowsPerPage: number): number | null {
  if (rowCount <= 0) return null;
  const last = rowCount - 1;
  const page = Math.max(1, rowsPerPage);
  const clamp = (i: number) => Math.min(last, Math.max(0, i));
  switch (key) {
    case 'ArrowDown':
      return clamp(current + 1);
    case 'ArrowUp':
      return clamp(current - 1);
    case 'PageDown':
      return clamp(current + page);
    case 'PageUp':
      return clamp(current - page);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

/** The scrollTop that brings row `index` fully into a viewport, or the current one when it already is. */
export function scrollTopToShow(index: number, rowHeightPx: number, scrollTopPx: number, viewportHeightPx: number): number {
  const top = index * rowHeightPx;
  const bottom = top + rowHeightPx;
  if (top < scrollTopPx) return top;
  if (bottom > scrollTopPx + viewportHeightPx) return Math.max(0, bottom - viewportHeightPx);
  return scrollTopPx;
}
