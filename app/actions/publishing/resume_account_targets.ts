import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { TargetQueue } from '#publishing/target_queue'
import { rollUpPostNow } from '#publishing/pipeline_store'
import { RunPreflight } from '#actions/publishing/run_preflight'

/**
 * An account works again (reconnected): its targets that stopped at
 * `needs_reconnect` go out now, as the banner promised. Targets past the
 * missed window become `missed` at their claim instead of going out stale.
 */
export class ResumeAccountTargets {
  async execute(accountId: number): Promise<number> {
    const resumed = await db.rawQuery(
      `UPDATE post_targets
          SET status = 'queued', due_at = now(), job_seq = job_seq + 1,
              last_error = NULL, last_error_detail = NULL, last_error_kind = NULL, updated_at = now()
        WHERE social_account_id = ? AND status = 'needs_reconnect'
    RETURNING id, plugin_id, job_seq, due_at, post_id`,
      [accountId]
    )
    const rows = resumed.rows as {
      id: number
      plugin_id: string
      job_seq: number
      due_at: Date
      post_id: number
    }[]
    for (const postId of new Set(rows.map((row) => row.post_id))) await rollUpPostNow(postId)
    // Its waiting targets are checked again: the reconnect fixed token and permission issues.
    const preflight = await app.container.make(RunPreflight)
    await preflight.forAccount(accountId)
    const queue = await app.container.make(TargetQueue)
    await queue.enqueue(
      rows.map((row) => ({
        id: row.id,
        pluginId: row.plugin_id,
        jobSeq: row.job_seq,
        dueAt: row.due_at,
      }))
    )
    return rows.length
  }
}
