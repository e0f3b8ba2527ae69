import { inspect } from 'node:util'
import type { LogFn, PluginLogger } from '../logger.js'

/** Log levels of a plugin logger. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** One captured log call. */
export interface LogEntry {
  /** Level of the call. */
  level: LogLevel
  /** Message, when given. */
  message?: string
  /** Structured data, when given. */
  data?: Record<string, unknown>
}

/** A logger that keeps every call, unredacted, so tests can look for leaked secrets. */
export interface CapturingLogger extends PluginLogger {
  /** Every call so far, oldest first. */
  readonly entries: LogEntry[]
  /** Everything logged as one string (data rendered deeply), for `includes` checks. */
  text(): string
  /** Forgets the captured entries. */
  clear(): void
}

/** Creates a {@link CapturingLogger}. */
export function createCapturingLogger(): CapturingLogger {
  const entries: LogEntry[] = []
  const at =
    (level: LogLevel): LogFn =>
    (first: string | Record<string, unknown>, message?: string) => {
      if (typeof first === 'string') entries.push({ level, message: first })
      else
        entries.push(
          message === undefined ? { level, data: first } : { level, data: first, message }
        )
    }
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () =>
      entries
        .map((entry) =>
          inspect(entry, {
            depth: 10,
            breakLength: Infinity,
            maxArrayLength: 1000,
            maxStringLength: null,
          })
        )
        .join('\n'),
    clear: () => {
      entries.length = 0
    },
  }
}
