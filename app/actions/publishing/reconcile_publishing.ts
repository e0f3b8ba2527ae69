import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import publishingConfig from '#config/publishing'
import { TargetQueue, type QueuedTarget } from '#publishing/target_queue'
import { missedMessage, rollUpPost, rollUpPostNow } from '#publishing/pipeline_store'
import { ResolveUnknownTarget } from '#actions/publishing/resolve_unknown_target'
import { RunPreflight } from '#actions/publishing/run_preflight'

export interface ReconcileReport {
  /** Attempts whose worker died before sending: queued again */
  requeued: number
  /** Attempts whose worker died after sending: unknown, to be reconciled */
  unknown: number
  /** Targets past the missed window */
  missed: number
  /** Due targets without a live job: enqueued again */
  reenqueued: number
  /** Held targets whose post got approved meanwhile: queued */
  released: number
  /** Targets due soon whose pre-flight checks ran again */
  prechecked: number
}

/** At most this many rows of each kind per run; the next run takes the rest */
const BATCH = 500

/**
 * The safety net, every minute (docs/architecture.md §4): nothing waits
 * forever and nothing is sent twice.
 * - An attempt past its lease (its worker died): re-queued if its creating
 *   request never left, `unknown` otherwise (then looked up, never resent).
 * - A waiting target past the missed window: `missed`, not published stale.
 * - A due target whose job is gone (lost enqueue, backend restart): enqueued.
 * - A held target whose post was approved: queued.
 * - A target due within `preflightLeadMs` not checked since that window
 *   opened: its pre-flight checks run again (§8.12), so a problem that
 *   appeared since it was scheduled stops it, with its reason, at its time.
 */
@inject()
export class ReconcilePublishing {
  constructor(
    private queue: TargetQueue,
    private preflight: RunPreflight
  ) {}

  async execute(): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      requeued: 0,
      unknown: 0,
      missed: 0,
      reenqueued: 0,
      released: 0,
      prechecked: 0,
    }
    const toEnqueue: QueuedTarget[] = []
    await this.#expiredLeases(report, toEnqueue)
    await this.#missed(report)
    await this.#released(report, toEnqueue)
    await this.#preflight(report)
    await this.queue.enqueue(toEnqueue)
    await this.#orphans(report)
    if (Object.values(report).some((count) => count > 0)) {
      logger.info({ ...report }, 'publishing reconciled')
    }
    return report
  }

  async #expiredLeases(report: ReconcileReport, toEnqueue: QueuedTarget[]) {
    const expired = await db
      .from('publish_attempts')
      .whereNull('finished_at')
      .where('lease_expires_at', '<', new Date())
      .orderBy('lease_expires_at')
      .limit(BATCH)
      .select('id', 'post_target_id', 'attempt_no')
    for (const attempt of expired) {
      const result = await db.transaction(async (trx) => {
        // Lock order: the target, its attempt, then the post.
        const target = await trx
          .from('post_targets')
          .where({
            id: attempt.post_target_id,
            status: 'publishing',
            attempt_count: attempt.attempt_no,
          })
          .forUpdate()
          .select('id', 'plugin_id', 'job_seq', 'post_id')
          .first()
        const closed = await trx.rawQuery(
          `UPDATE publish_attempts
              SET finished_at = now(),
                  outcome = CASE WHEN request_sent_at IS NULL THEN 'requeued' ELSE 'unknown' END,
                  error_kind = 'WorkerLost',
                  message = CASE WHEN request_sent_at IS NULL
                    THEN 'The worker stopped before sending the post; it was queued again.'
                    ELSE 'The worker stopped after sending the post; its outcome is unknown.' END
            WHERE id = ? AND finished_at IS NULL AND lease_expires_at < now()
        RETURNING outcome`,
          [attempt.id]
        )
        if (closed.rows.length === 0 || !target) return undefined
        const outcome = closed.rows[0].outcome as 'requeued' | 'unknown'
        const now = new Date()
        if (outcome === 'requeued') {
          const jobSeq = (target.job_seq as number) + 1
          await trx.from('post_targets').where('id', target.id).update({
            status: 'queued',
            due_at: now,
            job_seq: jobSeq,
            last_error: 'The worker publishing it stopped before sending; Herald queued it again.',
            last_error_kind: 'WorkerLost',
            updated_at: now,
          })
          toEnqueue.push({ id: target.id, pluginId: target.plugin_id, jobSeq, dueAt: now })
        } else {
          await trx.from('post_targets').where('id', target.id).update({
            status: 'unknown',
            last_error:
              'The worker publishing it stopped after sending the post, so it may be live. Herald checks the account; if it cannot tell, you decide.',
            last_error_kind: 'WorkerLost',
            updated_at: now,
          })
        }
        await rollUpPost(trx, target.post_id)
        return { outcome, targetId: target.id as number }
      })
      if (!result) continue
      if (result.outcome === 'requeued') report.requeued++
      else {
        report.unknown++
        await ResolveUnknownTarget.schedule(result.targetId, 0)
      }
    }
  }

  async #missed(report: ReconcileReport) {
    const cutoff = new Date(Date.now() - publishingConfig.missedWindowMs)
    const missed = await db.rawQuery(
      `UPDATE post_targets t
          SET status = 'missed', last_error = ?, last_error_kind = 'missed', updated_at = now()
         FROM posts p
        WHERE p.id = t.post_id AND p.scheduled_at < ?
          AND t.status IN ('scheduled', 'queued', 'retrying', 'held')
          AND t.id IN (
            SELECT t2.id FROM post_targets t2 JOIN posts p2 ON p2.id = t2.post_id
             WHERE t2.status IN ('scheduled', 'queued', 'retrying', 'held') AND p2.scheduled_at < ?
             LIMIT ?)
    RETURNING t.post_id`,
      [missedMessage(), cutoff, cutoff, BATCH]
    )
    report.missed += missed.rows.length
    for (const postId of new Set(missed.rows.map((row: { post_id: number }) => row.post_id))) {
      await rollUpPostNow(postId as number)
    }
  }

  async #released(report: ReconcileReport, toEnqueue: QueuedTarget[]) {
    const released = await db.rawQuery(
      `UPDATE post_targets t
          SET status = 'queued', due_at = now(), job_seq = t.job_seq + 1,
              last_error = NULL, last_error_kind = NULL, updated_at = now()
         FROM posts p
        WHERE p.id = t.post_id AND t.status = 'held' AND p.approval_state = 'approved'
    RETURNING t.id, t.plugin_id, t.job_seq, t.due_at, t.post_id`
    )
    for (const row of released.rows) {
      report.released++
      toEnqueue.push({
        id: row.id,
        pluginId: row.plugin_id,
        jobSeq: row.job_seq,
        dueAt: row.due_at,
      })
    }
    for (const postId of new Set(released.rows.map((row: { post_id: number }) => row.post_id))) {
      await rollUpPostNow(postId as number)
    }
  }

  async #preflight(report: ReconcileReport) {
    const lead = publishingConfig.preflightLeadMs
    const due = await db.rawQuery(
      `SELECT id FROM post_targets
        WHERE status IN ('scheduled', 'queued', 'retrying')
          AND due_at <= now() + (? * interval '1 millisecond')
          AND (preflight_checked_at IS NULL
               OR preflight_checked_at < due_at - (? * interval '1 millisecond'))
        ORDER BY due_at
        LIMIT ?`,
      [lead, lead, BATCH]
    )
    const ids = due.rows.map((row: { id: number }) => row.id)
    await this.preflight.execute(ids)
    report.prechecked += ids.length
  }

  async #orphans(report: ReconcileReport) {
    const due = await db
      .from('post_targets')
      .whereIn('status', ['scheduled', 'queued', 'retrying'])
      .where('due_at', '<', new Date(Date.now() - publishingConfig.orphanGraceMs))
      .orderBy('due_at')
      .limit(BATCH)
      .select('id', 'plugin_id', 'job_seq')
    for (const target of due) {
      const current = { id: target.id, pluginId: target.plugin_id, jobSeq: target.job_seq }
      if (await this.queue.hasLiveJob(current).catch(() => true)) continue
      const bumped = await db.rawQuery(
        `UPDATE post_targets SET job_seq = job_seq + 1, updated_at = now()
          WHERE id = ? AND job_seq = ? AND status IN ('scheduled', 'queued', 'retrying')
      RETURNING job_seq`,
        [target.id, target.job_seq]
      )
      if (bumped.rows.length === 0) continue
      report.reenqueued++
      await this.queue.enqueue([{ ...current, jobSeq: bumped.rows[0].job_seq, dueAt: new Date() }])
    }
  }
}
