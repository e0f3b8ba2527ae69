import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type Workspace from '#models/workspace'
import { formatUsd } from '#ai/pricing'

/** A calendar month in a workspace's timezone, as UTC instants [start, end) */
export interface MonthWindow {
  start: DateTime
  end: DateTime
  /** "2026-06" */
  key: string
  /** "June 2026" */
  label: string
  /** The IANA timezone the month is counted in */
  timezone: string
}

/** The month containing `at` (or the `YYYY-MM` given) in `timezone` */
export function monthWindow(
  timezone: string,
  month?: string,
  at: DateTime = DateTime.now()
): MonthWindow {
  const parsed = month ? DateTime.fromFormat(month, 'yyyy-MM', { zone: timezone }) : undefined
  const local = (parsed?.isValid ? parsed : at.setZone(timezone)).startOf('month')
  return {
    start: local.toUTC(),
    end: local.plus({ months: 1 }).toUTC(),
    key: local.toFormat('yyyy-MM'),
    label: local.toFormat('LLLL yyyy'),
    timezone,
  }
}

/** USD spent by a workspace in a month (every call, whatever its outcome) */
export async function monthSpend(workspaceId: number, window: MonthWindow): Promise<number> {
  const row = await db
    .from('generations')
    .where('workspace_id', workspaceId)
    .where('created_at', '>=', window.start.toJSDate())
    .where('created_at', '<', window.end.toJSDate())
    .sum('cost_usd as total')
    .first()
  return Number(row?.total ?? 0)
}

/** The month's budget is spent: generation is refused until an owner raises it or the month ends */
export class BudgetReachedError extends Error {
  constructor(
    readonly budgetUsd: number,
    readonly spentUsd: number,
    readonly monthLabel: string
  ) {
    super(
      `This workspace reached its AI budget of ${formatUsd(budgetUsd)} for ${monthLabel} ` +
        `(${formatUsd(spentUsd)} spent), so generation is paused until the month ends. ` +
        'A workspace owner or an agency admin can raise the budget on the AI usage or Settings page.'
    )
    this.name = 'BudgetReachedError'
  }
}

/** Where the workspace stands against its monthly budget */
export interface BudgetStatus {
  budgetUsd: number | null
  spentUsd: number
  reached: boolean
  window: MonthWindow
}

export async function budgetStatus(workspace: Workspace): Promise<BudgetStatus> {
  const window = monthWindow(workspace.timezone)
  const spentUsd = await monthSpend(workspace.id, window)
  const budgetUsd = workspace.monthlyAiBudgetUsd ?? null
  return { budgetUsd, spentUsd, reached: budgetUsd !== null && spentUsd >= budgetUsd, window }
}

/** Throws BudgetReachedError when this month's spend has reached the budget */
export async function assertWithinBudget(workspace: Workspace): Promise<void> {
  const status = await budgetStatus(workspace)
  if (status.reached) {
    throw new BudgetReachedError(status.budgetUsd!, status.spentUsd, status.window.label)
  }
}
