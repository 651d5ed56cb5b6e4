// Latency summaries shared by the benches.

/** The p-th percentile of an ascending array; `empty` when there are no samples. */
export const percentile = (sorted, p, empty = NaN) => (sorted.length === 0 ? empty : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
