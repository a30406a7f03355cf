// Small statistics helpers: every figure the suite reports is a summary of repeated samples
// (median with min-max and n), never a single timing.

/** Percentile by linear interpolation between closest ranks; p in [0, 100]. */
export function percentile(values, p) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  if (xs.length === 1) return xs[0];
  const rank = (p / 100) * (xs.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return xs[lo] + (xs[hi] - xs[lo]) * (rank - lo);
}

export const median = (values) => percentile(values, 50);

/** A figure: the median of n repeated measurements with their min and max. */
export function summarize(samples, unit, extra = {}) {
  const xs = samples.filter((v) => Number.isFinite(v));
  if (xs.length === 0) return { median: null, min: null, max: null, n: 0, unit, samples: [], ...extra };
  return {
    median: round(median(xs)),
    min: round(Math.min(...xs)),
    max: round(Math.max(...xs)),
    n: xs.length,
    unit,
    samples: xs.map(round),
    ...extra,
  };
}

/** Keeps 4 significant digits (or 3 decimals for small numbers): enough for noisy timings. */
export function round(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return x;
  if (x === 0) return 0;
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(x))));
  return Number(x.toFixed(Math.min(digits, 6)));
}

/** Ratio of two figures' medians (a / b), with the spread taken from the extremes. */
export function ratio(a, b) {
  if (!a || !b || !a.median || !b.median) return null;
  return {
    median: round(a.median / b.median),
    min: round(a.min / b.max),
    max: round(a.max / b.min),
    n: Math.min(a.n, b.n),
    unit: 'x',
  };
}

export const nowMs = () => performance.timeOrigin + performance.now();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
