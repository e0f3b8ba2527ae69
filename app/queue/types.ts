/**
 * Shapes shared by the queue modules and config/queue.ts. No imports with side
 * effects: child processes (tests, bench) load the queue modules without the app.
 */
export type BackendKind = 'postgres' | 'redis'

export interface QueueConfig {
  backend: BackendKind
  redisUrl?: string
  /** Redis key prefix (the PostgreSQL backend namespaces by database instead) */
  prefix: string
  /** PostgreSQL: the queue database (overrides `<database>_queue` on Herald's server) */
  databaseUrl?: string
  workers: 'inline' | 'off'
  concurrency: number
  lockDuration: number
  stalledInterval: number
  keepFailedDays: number
  heartbeatEverySeconds: number
  staleAfterSeconds: number
}

/** A minimal logger (pino's surface), so the queue modules run without the app */
export interface QueueLogger {
  info(object: object | string, message?: string): void
  warn(object: object | string, message?: string): void
  error(object: object | string, message?: string): void
}

export const silentLogger: QueueLogger = {
  info() {},
  warn() {},
  error() {},
}

/**
 * Repeats of the same warning or error (a backend that is down fails every
 * reconnect attempt, several times a second) are logged once per window, with
 * how many were dropped in between.
 */
export function throttleLogger(logger: QueueLogger, windowMs = 60_000): QueueLogger {
  const seen = new Map<string, { at: number; dropped: number }>()
  const throttled = (level: 'warn' | 'error') => (object: object | string, message?: string) => {
    const error =
      typeof object === 'object' ? (object as { err?: { message?: string } }).err : undefined
    const key = `${level}|${message ?? ''}|${error?.message ?? (typeof object === 'string' ? object : '')}`
    const now = Date.now()
    const entry = seen.get(key)
    if (entry && now - entry.at < windowMs) {
      entry.dropped++
      return
    }
    seen.set(key, { at: now, dropped: 0 })
    const repeats = entry?.dropped ? { repeatedTimes: entry.dropped } : {}
    logger[level](typeof object === 'object' ? { ...object, ...repeats } : object, message)
  }
  return {
    info: (object, message) => logger.info(object, message),
    warn: throttled('warn'),
    error: throttled('error'),
  }
}
