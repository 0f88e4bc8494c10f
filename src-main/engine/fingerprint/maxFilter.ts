// Stage 2a: 2-D running maximum over +-radiusRows x +-radiusCols (edges clamp to the matrix), the peak detector's core.
// Pure. `maxFilter2d` is the fast separable van Herk / Gil-Werman version (O(1) per cell); `naiveMaxFilter2d` is the reference.

/**
 * Running max along each row (contiguous). Blocks of w = 2r+1 items get prefix (block start..i) and suffix
 * (i..block end) maxima; a clamped window [lo, hi] has at most w items, so suffix[lo] and prefix[hi] cover it
 * (or one of them, when the window lies inside one block).
 */
export function maxAlongRows(src: Float32Array, dst: Float32Array, rows: number, cols: number, radius: number): void {
  const w = 2 * radius + 1;
  const prefix = new Float32Array(cols);
  const suffix = new Float32Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let m = -Infinity;
    for (let i = 0, pos = 0; i < cols; i++, pos++) {
      if (pos === w) pos = 0;
      const v = src[base + i];
      m = pos === 0 || v > m ? v : m;
      prefix[i] = m;
    }
    for (let i = cols - 1; i >= 0; i--) {
      const v = src[base + i];
      m = i === cols - 1 || (i + 1) % w === 0 || v > m ? v : m;
      suffix[i] = m;
    }
    for (let i = 0; i < cols; i++) {
      const lo = i - radius < 0 ? 0 : i - radius;
      const hi = i + radius > cols - 1 ? cols - 1 : i + radius;
      let v: number;
      if (((lo / w) | 0) !== ((hi / w) | 0)) v = suffix[lo] > prefix[hi] ? suffix[lo] : prefix[hi];
      else if (lo % w === 0) v = prefix[hi];
      else v = suffix[lo];
      dst[base + i] = v;
    }
  }
}

/** The same block scheme along the time axis, on whole rows at once so every inner loop is contiguous. */
function maxAcrossRows(src: Float32Array, dst: Float32Array, rows: number, cols: number, radius: number): void {
  const w = 2 * radius + 1;
  const prefix = new Float32Array(src.length);
  const suffix = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    if (r % w === 0) prefix.set(src.subarray(base, base + cols), base);
    else
      for (let c = 0; c < cols; c++) {
        const v = src[base + c];
        const p = prefix[base - cols + c];
        prefix[base + c] = v > p ? v : p;
      }
  }
  for (let r = rows - 1; r >= 0; r--) {
    const base = r * cols;
    if (r === rows - 1 || (r + 1) % w === 0) suffix.set(src.subarray(base, base + cols), base);
    else
      for (let c = 0; c < cols; c++) {
        const v = src[base + c];
        const q = suffix[base + cols + c];
        suffix[base + c] = v > q ? v : q;
      }
  }
  for (let r = 0; r < rows; r++) {
    const lo = r - radius < 0 ? 0 : r - radius;
    const hi = r + radius > rows - 1 ? rows - 1 : r + radius;
    const base = r * cols;
    const sBase = lo * cols;
    const pBase = hi * cols;
    if (((lo / w) | 0) !== ((hi / w) | 0)) {
      for (let c = 0; c < cols; c++) {
        const a = suffix[sBase + c];
        const b = prefix[pBase + c];
        dst[base + c] = a > b ? a : b;
      }
    } else if (lo % w === 0) dst.set(prefix.subarray(pBase, pBase + cols), base);
    else dst.set(suffix.subarray(sBase, sBase + cols), base);
  }
}

export function maxFilter2d(src: Float32Array, rows: number, cols: number, radiusRows: number, radiusCols: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const dst = new Float32Array(src.length);
  maxAlongRows(src, tmp, rows, cols, radiusCols);
  maxAcrossRows(tmp, dst, rows, cols, radiusRows);
  return dst;
}

export function naiveMaxFilter2d(src: Float32Array, rows: number, cols: number, radiusRows: number, radiusCols: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let m = -Infinity;
      for (let rr = Math.max(0, r - radiusRows); rr <= Math.min(rows - 1, r + radiusRows); rr++) {
        for (let cc = Math.max(0, c - radiusCols); cc <= Math.min(cols - 1, c + radiusCols); cc++) {
          m = Math.max(m, src[rr * cols + cc]);
        }
      }
      dst[r * cols + c] = m;
    }
  }
  return dst;
}
