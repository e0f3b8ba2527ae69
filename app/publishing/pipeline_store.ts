import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { PublishedPart } from '@herald/plugin-sdk'
import publishingConfig from '#config/publishing'
import { rollUpPostStatus, type ApprovalState } from '#publishing/post_status'
import type { Outcome } from '#publishing/outcome'
import type { TargetStatus } from '#publishing/target_status'

/**
 * The database side of the publishing pipeline: every transition is one short
 * transaction with a conditional UPDATE, so two workers (or a worker and the
 * reconciler) can never both win. Lock order everywhere: the post row first,
 * then its targets, so concurrent transitions of one post queue up instead of
 * deadlocking, and each recomputes the post's roll-up status last.
 */

export type ClaimResult =
  | { kind: 'claimed'; targetId: number; postId: number; attemptId: number; attemptNo: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'settled'; status: TargetStatus; message: string }

/** Locks the post of a target; returns its id, or undefined when the target is gone */
export async function lockPostOfTarget(trx: TransactionClientContract, targetId: number) {
  const row = await trx
    .from('posts')
    .whereIn('id', (query) => query.from('post_targets').where('id', targetId).select('post_id'))
    .forUpdate()
    .select('id')
    .first()
  return row?.id as number | undefined
}

/** Recomputes and stores a post's roll-up status (call with the post row locked) */
export async function rollUpPost(trx: TransactionClientContract, postId: number) {
  const post = await trx.from('posts').where('id', postId).select('approval_state').first()
  if (!post) return
  const statuses = await trx.from('post_targets').where('post_id', postId).select('status')
  const status = rollUpPostStatus(
    statuses.map((row) => row.status as TargetStatus),
    post.approval_state as ApprovalState
  )
  await trx.from('posts').where('id', postId).update({ status, updated_at: new Date() })
}

/**
 * The claim: one conditional UPDATE moves the target to `publishing` when its
 * job is current, it is waiting, its post may go out, its account works, it is
 * within the missed window and no pre-flight check blocks it; then an attempt
 * opens with a lease. Otherwise the target settles where it belongs (held,
 * missed, needs_reconnect, failed) or the job was stale and does nothing.
 */
export async function claimTarget(
  targetId: number,
  seq: number,
  workerId: string
): Promise<ClaimResult> {
  return db.transaction(async (trx) => {
    const postId = await lockPostOfTarget(trx, targetId)
    if (postId === undefined) return { kind: 'skipped', reason: 'the target no longer exists' }

    const claimed = await trx.rawQuery(
      `UPDATE post_targets t
          SET status = 'publishing', attempt_count = t.attempt_count + 1, updated_at = now()
         FROM posts p, social_accounts a
        WHERE t.id = ? AND t.job_seq = ? AND t.status IN ('scheduled', 'queued', 'retrying')
          AND p.id = t.post_id AND a.id = t.social_account_id
          AND p.approval_state IN ('none', 'approved')
          AND (p.scheduled_at IS NULL OR p.scheduled_at > now() - (? * interval '1 millisecond'))
          AND a.status = 'active'
          AND NOT t.preflight @> '[{"blocking": true}]'
      RETURNING t.attempt_count`,
      [targetId, seq, publishingConfig.missedWindowMs]
    )
    if (claimed.rows.length === 1) {
      const attemptNo = claimed.rows[0].attempt_count as number
      const [attempt] = await trx
        .table('publish_attempts')
        .insert({
          post_target_id: targetId,
          attempt_no: attemptNo,
          worker_id: workerId,
          started_at: new Date(),
          lease_expires_at: new Date(Date.now() + publishingConfig.leaseMs),
        })
        .returning('id')
      await rollUpPost(trx, postId)
      return {
        kind: 'claimed',
        targetId,
        postId,
        attemptId: Number(attempt.id),
        attemptNo,
      }
    }
    return settleUnclaimable(trx, targetId, seq, postId)
  })
}

async function settleUnclaimable(
  trx: TransactionClientContract,
  targetId: number,
  seq: number,
  postId: number
): Promise<ClaimResult> {
  const row = await trx
    .from('post_targets as t')
    .join('posts as p', 'p.id', 't.post_id')
    .join('social_accounts as a', 'a.id', 't.social_account_id')
    .where('t.id', targetId)
    .select(
      't.status',
      't.job_seq',
      't.preflight',
      'p.approval_state',
      'p.scheduled_at',
      'a.status as account_status',
      'a.status_reason'
    )
    .first()
  if (!row || row.job_seq !== seq)
    return { kind: 'skipped', reason: 'a newer job replaced this one' }
  if (!['scheduled', 'queued', 'retrying'].includes(row.status)) {
    return { kind: 'skipped', reason: `the target is ${row.status}` }
  }

  let status: TargetStatus
  let message: string
  const scheduledAt = row.scheduled_at as Date | null
  const blocking = (row.preflight as { blocking: boolean; message: string }[]).filter(
    (issue) => issue.blocking
  )
  if (scheduledAt && scheduledAt.getTime() < Date.now() - publishingConfig.missedWindowMs) {
    status = 'missed'
    message = missedMessage()
  } else if (row.approval_state === 'pending' || row.approval_state === 'rejected') {
    status = 'held'
    message =
      row.approval_state === 'rejected'
        ? 'Held: the post was rejected and needs changes and a new approval.'
        : 'Held: it was due while still awaiting approval. It goes out as soon as it is approved.'
  } else if (row.account_status === 'needs_reconnect') {
    status = 'needs_reconnect'
    message =
      row.status_reason ??
      'The account needs to be reconnected. Reconnect it on the Accounts page, then retry.'
  } else if (row.account_status === 'disabled') {
    status = 'failed'
    message = 'The account was disconnected from this workspace, so nothing was sent.'
  } else if (blocking.length > 0) {
    status = 'failed'
    message = `Not sent: ${blocking.map((issue) => issue.message).join(' ')}`
  } else {
    return { kind: 'skipped', reason: 'not claimable' }
  }

  await trx
    .from('post_targets')
    .where('id', targetId)
    .where('job_seq', seq)
    .update({ status, last_error: message, last_error_kind: status, updated_at: new Date() })
  await rollUpPost(trx, postId)
  return { kind: 'settled', status, message }
}

export function missedMessage() {
  const hours = Math.round(publishingConfig.missedWindowMs / 3_600_000)
  return `Missed: it was still unpublished ${hours} hours after its time, and stale posts are not sent late. Reschedule it to publish it.`
}

/**
 * The creating request is about to leave. Atomic with the reconciler: only an
 * attempt that is still open and within its lease may send; otherwise the
 * reconciler has taken the target back and this attempt must stop.
 */
export async function markRequestSent(attemptId: number): Promise<boolean> {
  const result = await db.rawQuery(
    `UPDATE publish_attempts
        SET request_sent_at = COALESCE(request_sent_at, now())
      WHERE id = ? AND finished_at IS NULL AND lease_expires_at > now()
      RETURNING id`,
    [attemptId]
  )
  return result.rows.length === 1
}

/** Keeps the lease of a running attempt alive (the worker is not dead, just slow) */
export async function renewLease(attemptId: number) {
  await db.rawQuery(
    `UPDATE publish_attempts SET lease_expires_at = now() + (? * interval '1 millisecond')
      WHERE id = ? AND finished_at IS NULL`,
    [publishingConfig.leaseMs, attemptId]
  )
}

/** A thread part went live: keep it at once, so a crash never loses the progress */
export async function savePublishedPart(targetId: number, part: PublishedPart, index: number) {
  await db.rawQuery(
    `UPDATE post_targets
        SET published_parts = CASE WHEN jsonb_array_length(published_parts) = ?
                                   THEN published_parts || ?::jsonb ELSE published_parts END,
            updated_at = now()
      WHERE id = ?`,
    [index, JSON.stringify([part]), targetId]
  )
}

/**
 * Temporary failures in a row so far: rate-limit waits and re-queues after a
 * lost worker do not count, and a person's retry after a failure starts a new
 * budget.
 */
export async function transientFailures(targetId: number) {
  const attempts = await db
    .from('publish_attempts')
    .where('post_target_id', targetId)
    .whereNotNull('outcome')
    .orderBy('attempt_no', 'desc')
    .select('outcome')
  let count = 0
  for (const { outcome } of attempts) {
    if (outcome === 'retrying') count++
    else if (outcome !== 'rate_limited' && outcome !== 'requeued') break
  }
  return count
}

/** What the caller must do once the outcome is committed */
export interface FollowUp {
  /** A retry to enqueue */
  retry?: { id: number; pluginId: string; jobSeq: number; dueAt: Date }
  /** An unknown outcome to reconcile with findPublished */
  resolveUnknown?: { targetId: number; attemptNo: number }
}

/**
 * Closes an attempt with its outcome and moves the target. Conditional: the
 * target must still be on this attempt (publishing, or made unknown by the
 * reconciler meanwhile, which a definite answer overrides). Returns undefined
 * when the reconciler already took the target elsewhere.
 */
export async function recordOutcome(
  claim: { targetId: number; attemptId: number; attemptNo: number },
  outcome: Outcome,
  excerpt?: string
): Promise<FollowUp | undefined> {
  return db.transaction(async (trx) => {
    const postId = await lockPostOfTarget(trx, claim.targetId)
    if (postId === undefined) return undefined
    const target = await trx
      .from('post_targets')
      .where('id', claim.targetId)
      .forUpdate()
      .select('status', 'attempt_count', 'job_seq', 'plugin_id', 'published_parts', 'external_id')
      .first()
    const current =
      target &&
      target.attempt_count === claim.attemptNo &&
      (target.status === 'publishing' ||
        (target.status === 'unknown' && outcome.status !== 'unknown'))
    if (!current) return undefined

    const now = new Date()
    const attemptOutcome =
      outcome.status === 'retrying' && outcome.reason === 'rate_limited'
        ? 'rate_limited'
        : outcome.status
    await trx
      .from('publish_attempts')
      .where('id', claim.attemptId)
      .update({
        finished_at: now,
        outcome: attemptOutcome,
        error_kind: outcome.status === 'published' ? null : outcome.errorKind,
        message: outcome.status === 'published' ? null : outcome.message,
        response_excerpt: excerpt ?? (outcome.status === 'published' ? null : outcome.detail),
      })

    const parts = outcome.parts ?? (target.published_parts as PublishedPart[])
    const changes: Record<string, unknown> = {
      status: outcome.status,
      published_parts: JSON.stringify(parts),
      updated_at: now,
    }
    const followUp: FollowUp = {}
    if (outcome.status === 'published') {
      Object.assign(changes, {
        external_id: outcome.externalId,
        url: outcome.url,
        published_at: now,
        last_error: null,
        last_error_detail: null,
        last_error_kind: null,
      })
    } else {
      Object.assign(changes, {
        last_error: outcome.message,
        last_error_detail: outcome.detail ?? null,
        last_error_kind: outcome.errorKind,
      })
      if (parts.length > 0 && !target.external_id) {
        changes.external_id = parts[0].externalId
        changes.url = parts[0].url ?? null
      }
    }
    if (outcome.status === 'retrying') {
      const jobSeq = (target.job_seq as number) + 1
      Object.assign(changes, { due_at: outcome.dueAt, job_seq: jobSeq })
      followUp.retry = {
        id: claim.targetId,
        pluginId: target.plugin_id,
        jobSeq,
        dueAt: outcome.dueAt,
      }
    }
    if (outcome.status === 'unknown') {
      followUp.resolveUnknown = { targetId: claim.targetId, attemptNo: claim.attemptNo }
    }
    await trx.from('post_targets').where('id', claim.targetId).update(changes)
    await rollUpPost(trx, postId)
    return followUp
  })
}

/**
 * An unknown target found on the platform by `findPublished`: published when
 * every part is now live, else queued again to continue the thread after it.
 * Conditional on the target still being unknown on the same attempt.
 */
export async function resolveUnknownAsFound(
  targetId: number,
  attemptCount: number,
  parts: PublishedPart[],
  complete: boolean
): Promise<FollowUp | undefined> {
  return db.transaction(async (trx) => {
    const postId = await lockPostOfTarget(trx, targetId)
    if (postId === undefined) return undefined
    const target = await trx
      .from('post_targets')
      .where({ id: targetId, status: 'unknown', attempt_count: attemptCount })
      .forUpdate()
      .select('job_seq', 'plugin_id')
      .first()
    if (!target) return undefined
    const now = new Date()
    const changes: Record<string, unknown> = {
      published_parts: JSON.stringify(parts),
      external_id: parts[0].externalId,
      url: parts[0].url ?? null,
      updated_at: now,
    }
    const followUp: FollowUp = {}
    if (complete) {
      Object.assign(changes, {
        status: 'published',
        published_at: now,
        last_error: null,
        last_error_detail: null,
        last_error_kind: null,
      })
    } else {
      const jobSeq = (target.job_seq as number) + 1
      Object.assign(changes, {
        status: 'queued',
        due_at: now,
        job_seq: jobSeq,
        last_error: `Found part ${parts.length} live; the thread continues with the next part.`,
        last_error_kind: null,
      })
      followUp.retry = { id: targetId, pluginId: target.plugin_id, jobSeq, dueAt: now }
    }
    await trx.from('post_targets').where('id', targetId).update(changes)
    await trx
      .from('publish_attempts')
      .where('post_target_id', targetId)
      .where('attempt_no', attemptCount)
      .update({ message: 'Reconciled: the post was found live on the network.' })
    await rollUpPost(trx, postId)
    return followUp
  })
}
