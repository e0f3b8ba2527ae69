/** A pino-style log call: a message, or structured data with an optional message. */
export interface LogFn {
  (message: string): void
  (data: Record<string, unknown>, message?: string): void
}

/** Logger the host hands to plugins; the host redacts secret setting values from what it writes. */
export interface PluginLogger {
  /** Detailed diagnostics, off in production. */
  debug: LogFn
  /** Normal operations worth recording. */
  info: LogFn
  /** Something unexpected that the plugin recovered from. */
  warn: LogFn
  /** A failure. */
  error: LogFn
}

/** Source of the current time, so tests can control it. */
export interface Clock {
  /** The current time. */
  now(): Date
}
