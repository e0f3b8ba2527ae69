import { DateTime } from 'luxon'
import Generation from '#models/generation'

/**
 * Generations still `running` long after they started were interrupted (the
 * process stopped mid-call): they are closed as failed, so they stop showing
 * as in progress and the ledger says what happened.
 */
export class SweepGenerations {
  async execute(staleAfterMinutes: number): Promise<number> {
    const before = DateTime.now().minus({ minutes: staleAfterMinutes })
    const now = DateTime.now()
    const rows = await Generation.query()
      .where('status', 'running')
      .where('created_at', '<', before.toJSDate())
      .update({
        status: 'failed',
        error: 'Interrupted: Herald stopped while this was being generated. Try again.',
        finished_at: now.toJSDate(),
      })
    return Array.isArray(rows) ? Number(rows[0] ?? 0) : Number(rows)
  }
}
