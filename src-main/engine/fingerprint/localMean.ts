// Stage 2b: 2-D local mean over +-radiusRows x +-radiusCols (edges average what exists), the background a peak must rise above.
// Pure. `localMean2d` uses running sums (O(1) per cell); `naiveLocalMean2d` is the reference.

export function localMean2d(src: Float32Array, rows: number, cols: number, radiusRows: number, radiusCols: number): Float32Array {
  const tmp = new Float64Array(src.length);
  const dst = new Float32Array(src.length);
  // Along columns within each row: prefix sums.
  const prefix = new Float64Array(cols + 1);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    prefix[0] = 0;
    for (let c = 0; c < cols; c++) prefix[c + 1] = prefix[c] + src[base + c];
    for (let c = 0; c < cols; c++) {
      const lo = c - radiusCols < 0 ? 0 : c - radiusCols;
      const hi = c + radiusCols > cols - 1 ? cols - 1 : c + radiusCols;
      tmp[base + c] = (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
    }
  }
  // Along the time axis: a running sum of whole rows (contiguous inner loops).
  const sum = new Float64Array(cols);
  let first = 0; // rows [first, last] are in the sum
  let last = -1;
  for (let r = 0; r < rows; r++) {
    const lo = r - radiusRows < 0 ? 0 : r - radiusRows;
    const hi = r + radiusRows > rows - 1 ? rows - 1 : r + radiusRows;
    while (last < hi) {
      last++;
      const b = last * cols;
      for (let c = 0; c < cols; c++) sum[c] += tmp[b + c];
    }
    while (first < lo) {
      const b = first * cols;
      for (let c = 0; c < cols; c++) sum[c] -= tmp[b + c];
      first++;
    }
    const inv = 1 / (hi - lo + 1);
    const base = r * cols;
    for (let c = 0; c < cols; c++) dst[base + c] = sum[c] * inv;
  }
  return dst;
}

export function naiveLocalMean2d(src: Float32Array, rows: number, cols: number, radiusRows: number, radiusCols: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const r0 = Math.max(0, r - radiusRows);
      const r1 = Math.min(rows - 1, r + radiusRows);
      const c0 = Math.max(0, c - radiusCols);
      const c1 = Math.min(cols - 1, c + radiusCols);
      // Mean of the row means, as the separable version computes it (each row segment has the same width).
      let sum = 0;
      for (let rr = r0; rr <= r1; rr++) {
        let rowSum = 0;
        for (let cc = c0; cc <= c1; cc++) rowSum += src[rr * cols + cc];
        sum += rowSum / (c1 - c0 + 1);
      }
      dst[r * cols + c] = sum / (r1 - r0 + 1);
    }
  }
  return dst;
}
