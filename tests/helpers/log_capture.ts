import logger from '@adonisjs/core/services/logger'

/**
 * Captures what the app logger writes (every level, request lines, plugin
 * loggers, job loggers), whatever LOG_LEVEL says, until the returned stop()
 * is called. Pino children look up their stream on their parent, so
 * swapping the root logger's stream catches the children made from it.
 */
export function captureAppLogs() {
  // The logger service is the default logger itself (LoggerManager extends Logger); request,
  // plugin and job loggers are its children. `logger.use()` would be a separate instance.
  const root = (logger as unknown as { pino: Record<PropertyKey, any> }).pino
  const streamSymbol = Object.getOwnPropertySymbols(root).find(
    (symbol) => symbol.description === 'pino.stream'
  )
  if (!streamSymbol) throw new Error('pino stream symbol not found')
  const lines: string[] = []
  const originalStream = root[streamSymbol]
  const originalLevel = root.level
  root[streamSymbol] = { write: (line: string) => void lines.push(line) }
  root.level = 'trace'
  return {
    lines,
    text: () => lines.join(''),
    stop() {
      root.level = originalLevel
      root[streamSymbol] = originalStream
    },
  }
}
