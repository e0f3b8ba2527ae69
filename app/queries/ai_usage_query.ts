import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type Workspace from '#models/workspace'
import { monthWindow, type MonthWindow } from '#ai/budget'
import { formatUsd } from '#ai/pricing'
import { buildBarChart, type DayPoint } from '#ai/usage_chart'

/** One ledger row as the usage page and the CSV show it */
export interface LedgerRow {
  id: string
  createdAt: DateTime
  user: string
  kind: 'text' | 'image'
  purpose: string
  pluginId: string
  model: string
  status: string
  inputTokens: number
  outputTokens: number
  costUsd: number
  latencyMs: number | null
  error: string | null
  prompt: string
}

/** Status words and colours of ledger rows (same badges as everywhere) */
export const GENERATION_STATUS_LABELS: Record<string, { label: string; tone: string }> = {
  running: { label: 'Running', tone: 'blue' },
  succeeded: { label: 'Succeeded', tone: 'green' },
  failed: { label: 'Failed', tone: 'red' },
  refused: { label: 'Refused by moderation', tone: 'amber' },
  cancelled: { label: 'Stopped', tone: 'grey' },
}

/** What each purpose is called on the page */
export const PURPOSE_LABELS: Record<string, string> = {
  generate: 'Text',
  regenerate: 'Text, regenerated',
  shorten_x: 'Shortened for X',
  adapt_linkedin: 'Adapted for LinkedIn',
  image: 'Image',
}

/** A ledger row with its words for the page */
function present(row: LedgerRow) {
  return {
    ...row,
    statusInfo: GENERATION_STATUS_LABELS[row.status] ?? { label: row.status, tone: 'grey' },
    what: PURPOSE_LABELS[row.purpose] ?? row.purpose,
    cost: formatUsd(row.costUsd),
    when: row.createdAt.toFormat('d LLL, HH:mm'),
    time: row.latencyMs === null ? '' : `${(row.latencyMs / 1000).toFixed(1)} s`,
    tokens: row.kind === 'text' ? `${row.inputTokens} / ${row.outputTokens}` : '',
  }
}

/**
 * The AI usage report of a workspace for one month (in its timezone): spend
 * against the budget, by model, by person, by day (with the chart), and the
 * latest calls.
 */
export class AiUsageQuery {
  async execute(workspace: Workspace, month?: string) {
    const window = monthWindow(workspace.timezone, month)
    const current = monthWindow(workspace.timezone)
    const base = () =>
      db
        .from('generations')
        .where('generations.workspace_id', workspace.id)
        .where('generations.created_at', '>=', window.start.toJSDate())
        .where('generations.created_at', '<', window.end.toJSDate())

    const [totals, byModel, byUser, byDay, recent] = await Promise.all([
      base()
        .select(
          db.raw('COALESCE(SUM(cost_usd), 0) AS cost'),
          db.raw('COUNT(*) AS calls'),
          db.raw(`COUNT(*) FILTER (WHERE status = 'failed') AS failed`),
          db.raw(`COUNT(*) FILTER (WHERE status = 'refused') AS refused`),
          db.raw(`COUNT(*) FILTER (WHERE kind = 'image' AND status = 'succeeded') AS images`)
        )
        .first(),
      base()
        .select('kind', 'plugin_id', 'model')
        .select(
          db.raw('SUM(cost_usd) AS cost'),
          db.raw('COUNT(*) AS calls'),
          db.raw('SUM(input_tokens) AS input_tokens'),
          db.raw('SUM(output_tokens) AS output_tokens')
        )
        .groupBy('kind', 'plugin_id', 'model')
        .orderByRaw('SUM(cost_usd) DESC, COUNT(*) DESC'),
      base()
        .leftJoin('users', 'users.id', 'generations.user_id')
        .select('users.full_name')
        .select(db.raw('SUM(cost_usd) AS cost'), db.raw('COUNT(*) AS calls'))
        .groupBy('users.id', 'users.full_name')
        .orderByRaw('SUM(cost_usd) DESC, COUNT(*) DESC'),
      base()
        .select(
          db.raw(`to_char(created_at AT TIME ZONE ?, 'YYYY-MM-DD') AS date`, [workspace.timezone])
        )
        .select(db.raw('SUM(cost_usd) AS cost'), db.raw('COUNT(*) AS calls'))
        .groupByRaw('1'),
      this.rows(workspace, window, 25),
    ])

    const spent = Number(totals?.cost ?? 0)
    const budget = workspace.monthlyAiBudgetUsd ?? null
    const days = daysOf(window, byDay as { date: string; cost: string; calls: string }[])
    return {
      window,
      isCurrent: window.key === current.key,
      previous: window.start.setZone(workspace.timezone).minus({ months: 1 }).toFormat('yyyy-MM'),
      next:
        window.key === current.key
          ? undefined
          : window.start.setZone(workspace.timezone).plus({ months: 1 }).toFormat('yyyy-MM'),
      spent: formatUsd(spent),
      spentUsd: spent,
      calls: Number(totals?.calls ?? 0),
      failed: Number(totals?.failed ?? 0),
      refused: Number(totals?.refused ?? 0),
      images: Number(totals?.images ?? 0),
      budget: budget === null ? undefined : formatUsd(budget),
      budgetUsd: budget,
      budgetPercent: budget ? Math.min(100, Math.round((spent / budget) * 100)) : undefined,
      budgetReached: budget !== null && window.key === current.key && spent >= budget,
      byModel: byModel.map((row) => ({
        kind: row.kind as string,
        pluginId: row.plugin_id as string,
        model: row.model as string,
        calls: Number(row.calls),
        cost: formatUsd(Number(row.cost)),
        tokens: Number(row.input_tokens) + Number(row.output_tokens),
      })),
      byUser: byUser.map((row) => ({
        name: (row.full_name as string | null) ?? 'Former member',
        calls: Number(row.calls),
        cost: formatUsd(Number(row.cost)),
      })),
      days,
      chart: buildBarChart(days, window.label),
      recent: recent.map(present),
    }
  }

  /** Ledger rows of a month, newest first (every row when no limit: the CSV export) */
  async rows(workspace: Workspace, window: MonthWindow, limit?: number): Promise<LedgerRow[]> {
    const query = db
      .from('generations')
      .leftJoin('users', 'users.id', 'generations.user_id')
      .where('generations.workspace_id', workspace.id)
      .where('generations.created_at', '>=', window.start.toJSDate())
      .where('generations.created_at', '<', window.end.toJSDate())
      .select('generations.*', 'users.full_name')
      .orderBy('generations.created_at', 'desc')
      .orderBy('generations.id', 'desc')
    if (limit) query.limit(limit)
    const rows = await query
    return rows.map((row) => ({
      id: String(row.id),
      createdAt: DateTime.fromJSDate(row.created_at).setZone(workspace.timezone),
      user: row.full_name ?? 'Former member',
      kind: row.kind,
      purpose: row.purpose,
      pluginId: row.plugin_id,
      model: row.model,
      status: row.status,
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      costUsd: Number(row.cost_usd),
      latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
      error: row.error,
      prompt: row.prompt,
    }))
  }
}

/** Every day of the month with its spend (days without calls at zero) */
function daysOf(window: MonthWindow, rows: { date: string; cost: string; calls: string }[]) {
  const byDate = new Map(rows.map((row) => [row.date, row]))
  const points: DayPoint[] = []
  for (
    let day = window.start.setZone(window.timezone);
    day < window.end;
    day = day.plus({ days: 1 })
  ) {
    points.push(pointOf(day, byDate))
  }
  return points
}

function pointOf(day: DateTime, byDate: Map<string, { cost: string; calls: string }>): DayPoint {
  const date = day.toFormat('yyyy-MM-dd')
  const row = byDate.get(date)
  return {
    date,
    day: day.toFormat('d'),
    costUsd: Number(row?.cost ?? 0),
    calls: Number(row?.calls ?? 0),
    cost: formatUsd(Number(row?.cost ?? 0)),
  }
}
