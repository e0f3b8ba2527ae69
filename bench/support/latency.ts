/** The fake platforms' answer times in benchmarks (and the raw-queue baselines that mimic them) */

/** A long-tailed answer time: the median at p50, 1 % of answers at or above p99 */
export function latency(median: number, tail: number) {
  const u = Math.random()
  if (u > 0.99) return tail + Math.random() * (tail - median)
  return median * Math.exp((Math.log(tail / median) / 2.326) * normal())
}

function normal() {
  const u = 1 - Math.random()
  const v = Math.random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}
