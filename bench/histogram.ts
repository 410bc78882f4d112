/**
 * A latency histogram that worker threads fill and the main thread merges: at 200 clients a
 * run sees millions of cursor deliveries, too many to keep one by one. Buckets are 0.1 ms wide
 * up to 1 s and 10 ms wide up to a minute (one bucket above that); the count and the maximum
 * are exact. Percentiles are nearest-rank, read at the bucket's middle.
 */
const FINE_MS = 1000
const FINE_STEP = 0.1
const COARSE_MS = 60_000
const COARSE_STEP = 10
const FINE_BUCKETS = FINE_MS / FINE_STEP
const BUCKETS = FINE_BUCKETS + (COARSE_MS - FINE_MS) / COARSE_STEP + 1

/** What crosses a thread boundary (structured clone keeps the typed array). */
export interface HistogramData {
  counts: Uint32Array
  count: number
  max: number
}

export class Histogram implements HistogramData {
  counts = new Uint32Array(BUCKETS)
  count = 0
  max = 0

  record(ms: number): void {
    // A receiver's clock may read a hair before the sender's (threads' time origins differ by
    // microseconds): such a sample is 0.
    const value = Math.max(0, ms)
    const bucket =
      value < FINE_MS
        ? Math.floor(value / FINE_STEP)
        : Math.min(BUCKETS - 1, FINE_BUCKETS + Math.floor((value - FINE_MS) / COARSE_STEP))
    this.counts[bucket]++
    this.count++
    if (value > this.max) this.max = value
  }

  merge(other: HistogramData): this {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i]
    this.count += other.count
    this.max = Math.max(this.max, other.max)
    return this
  }

  /** The p-th percentile in ms (NaN when empty). */
  percentile(p: number): number {
    if (this.count === 0) return NaN
    const rank = Math.max(1, Math.ceil((p / 100) * this.count))
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]
      if (seen < rank) continue
      if (i === BUCKETS - 1) return this.max
      const middle =
        i < FINE_BUCKETS ? (i + 0.5) * FINE_STEP : FINE_MS + (i - FINE_BUCKETS + 0.5) * COARSE_STEP
      return Math.min(middle, this.max)
    }
    return this.max
  }

  toData(): HistogramData {
    return { counts: this.counts, count: this.count, max: this.max }
  }

  static from(data: HistogramData): Histogram {
    return new Histogram().merge(data)
  }
}
