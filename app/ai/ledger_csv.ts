import type { LedgerRow } from '#queries/ai_usage_query'

const COLUMNS = [
  'id',
  'created_at',
  'user',
  'kind',
  'purpose',
  'plugin',
  'model',
  'status',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'latency_ms',
  'error',
  'prompt',
] as const

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line
 * break. Text that a spreadsheet would run as a formula (= + - @, tab, CR at
 * the start) is prefixed with a quote mark (OWASP CSV injection).
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** The ledger as CSV: one line per AI call, times in the workspace's timezone, cost in USD */
export function ledgerCsv(rows: LedgerRow[]): string {
  const lines = [COLUMNS.join(',')]
  for (const row of rows) {
    lines.push(
      [
        row.id,
        row.createdAt.toISO(),
        row.user,
        row.kind,
        row.purpose,
        row.pluginId,
        row.model,
        row.status,
        row.inputTokens,
        row.outputTokens,
        row.costUsd.toFixed(6),
        row.latencyMs,
        row.error,
        row.prompt,
      ]
        .map(csvField)
        .join(',')
    )
  }
  return `${lines.join('\r\n')}\r\n`
}
