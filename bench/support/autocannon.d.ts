/** The part of autocannon's API the benchmarks use (the package ships no types) */
declare module 'autocannon' {
  interface Histogram {
    average: number
    mean: number
    max: number
    p50: number
    p99: number
  }
  interface Result {
    latency: Histogram
    requests: Histogram
    errors: number
    timeouts: number
    non2xx: number
  }
  interface Options {
    url: string
    connections?: number
    duration?: number
    headers?: Record<string, string>
  }
  export default function autocannon(options: Options): Promise<Result>
}
