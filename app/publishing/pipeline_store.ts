import db from '@adonisjs/lucid/services/db'
import SocialAccount from '#models/social_account'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { PublishedPart } from '@herald/plugin-sdk'
import publishingConfig from '#config/publishing'
import type { Outcome } from '#publishing/outcome'
import type { TargetStatus } from '#publishing/target_status'
import type { ContentPart } from '#publishing/content'
import { RECONNECT_CODES, type PreflightIssue } from '#publishing/preflight_types'

/**
 * The database side of the publishing pipeline. Every transition is a
 * conditional UPDATE, so two workers (or a worker and the reconciler, or a
 * person) can never both win; the claim is a single statement.
 *
 * Lock order everywhere: target rows first (by id), then their attempt, then
 * the post row, whose roll-up status is recomputed last. Keeping one order
 * means concurrent transitions queue up instead of deadlocking.
 */

/** What a publish needs, read by the claim itself (one round trip for all of it, account included) */
export interface ClaimedTarget {
  workspaceId: number
  socialAccountId: number
  pluginId: string
  overrideParts: ContentPart[] | null
  publishedParts: PublishedPart[]
  baseText: string
  mediaIds: number[]
  /** The account's token ciphertexts, as stored */
  secret: { accessToken: string; refreshToken: string | null; version: number } | null
  /** The account, as the claim read it */
  account: SocialAccount
}

/** Every column of social_accounts, prefixed, so the claim returns the account model too */
let accountColumns: string | undefined
function accountSelect() {
  accountColumns ??= [...SocialAccount.$columnsDefinitions.values()]
    .map((column) => `a.${column.columnName} AS "account:${column.columnName}"`)
    .join(', ')
  return accountColumns
}

function accountOf(row: Record<string, unknown>): SocialAccount {
  const columns: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith('account:')) columns[key.slice(8)] = value
  }
  return SocialAccount.$createFromAdapterResult(columns)!
}

export type ClaimResult =
  | {
      kind: 'claimed'
      targetId: number
      postId: number
      attemptId: number
      attemptNo: number
      target: ClaimedTarget
    }
  | { kind: 'skipped'; reason: string }
  | { kind: 'settled'; status: TargetStatus; message: string }

/**
 * Recomputes and stores a post's roll-up status (the SQL function
 * `herald_roll_up_post`, migration 0015). Takes the post's row lock, so call
 * it last in a transaction (after the targets changed).
 */
export async function rollUpPost(trx: TransactionClientContract, postId: number) {
  await trx.rawQuery('SELECT herald_roll_up_post(?)', [postId])
}

/** Recomputes a post's roll-up status in a statement of its own */
export async function rollUpPostNow(postId: number) {
  await db.rawQuery('SELECT herald_roll_up_post(?)', [postId])
}

/**
 * The claim, in one statement: the target moves to `publishing` when its job
 * is current, it is waiting, its post may go out, its account works, it is
 * within the missed window and no pre-flight check blocks it; an attempt
 * opens with a lease; the post's status becomes `publishing` (its roll-up
 * while a target is in flight). Otherwise the target settles where it
 * belongs (held, missed, needs_reconnect, failed), or the job was stale and
 * does nothing.
 */
export async function claimTarget(
  targetId: number,
  seq: number,
  workerId: string
): Promise<ClaimResult> {
  const claimed = await db.rawQuery(
    `WITH target AS (
        UPDATE post_targets t
           SET status = 'publishing', attempt_count = t.attempt_count + 1, updated_at = now()
          FROM posts p, social_accounts a
         WHERE t.id = ? AND t.job_seq = ? AND t.status IN ('scheduled', 'queued', 'retrying')
           AND p.id = t.post_id AND a.id = t.social_account_id
           AND p.approval_state IN ('none', 'approved')
           AND (p.scheduled_at IS NULL OR p.scheduled_at > now() - (? * interval '1 millisecond'))
           AND a.status = 'active'
           AND NOT t.preflight @> '[{"blocking": true}]'
     RETURNING t.id, t.attempt_count, t.post_id, t.workspace_id, t.social_account_id, t.plugin_id,
               t.override_parts, t.published_parts
     ), attempt AS (
        INSERT INTO publish_attempts (post_target_id, attempt_no, worker_id, started_at, lease_expires_at)
        SELECT id, attempt_count, ?, now(), now() + (? * interval '1 millisecond') FROM target
     RETURNING id, attempt_no
     ), post AS (
        UPDATE posts SET status = 'publishing', updated_at = now()
         WHERE id = (SELECT post_id FROM target) AND status <> 'publishing'
     )
     SELECT attempt.id AS attempt_id, attempt.attempt_no, target.*, p.base_text,
            COALESCE((SELECT json_agg(media_asset_id ORDER BY position) FROM post_media
                       WHERE post_id = target.post_id), '[]') AS media_ids,
            s.access_token, s.refresh_token, s.version AS secret_version, ${accountSelect()}
       FROM attempt, target
       JOIN posts p ON p.id = target.post_id
       JOIN social_accounts a ON a.id = target.social_account_id
       LEFT JOIN account_secrets s ON s.social_account_id = target.social_account_id`,
    [targetId, seq, publishingConfig.missedWindowMs, workerId, publishingConfig.leaseMs]
  )
  const row = claimed.rows[0]
  if (row) {
    return {
      kind: 'claimed',
      targetId,
      postId: row.post_id,
      attemptId: Number(row.attempt_id),
      attemptNo: row.attempt_no,
      target: {
        workspaceId: row.workspace_id,
        socialAccountId: row.social_account_id,
        pluginId: row.plugin_id,
        overrideParts: row.override_parts,
        publishedParts: row.published_parts,
        baseText: row.base_text,
        mediaIds: row.media_ids,
        secret: row.access_token
          ? {
              accessToken: row.access_token,
              refreshToken: row.refresh_token,
              version: row.secret_version,
            }
          : null,
        account: accountOf(row),
      },
    }
  }
  return db.transaction((trx) => settleUnclaimable(trx, targetId, seq))
}

async function settleUnclaimable(
  trx: TransactionClientContract,
  targetId: number,
  seq: number
): Promise<ClaimResult> {
  const target = await trx
    .from('post_targets')
    .where('id', targetId)
    .forUpdate()
    .select('status', 'job_seq', 'preflight', 'post_id', 'social_account_id')
    .first()
  if (!target || target.job_seq !== seq) {
    return { kind: 'skipped', reason: 'a newer job replaced this one' }
  }
  if (!['scheduled', 'queued', 'retrying'].includes(target.status)) {
    return { kind: 'skipped', reason: `the target is ${target.status}` }
  }
  const post = await trx
    .from('posts')
    .where('id', target.post_id)
    .select('approval_state', 'scheduled_at')
    .first()
  const account = await trx
    .from('social_accounts')
    .where('id', target.social_account_id)
    .select('status', 'status_reason')
    .first()

  let status: TargetStatus
  let message: string
  const scheduledAt = post?.scheduled_at as Date | null
  const blocking = (target.preflight as PreflightIssue[]).filter((issue) => issue.blocking)
  if (scheduledAt && scheduledAt.getTime() < Date.now() - publishingConfig.missedWindowMs) {
    status = 'missed'
    message = missedMessage()
  } else if (post?.approval_state === 'pending' || post?.approval_state === 'rejected') {
    status = 'held'
    message =
      post.approval_state === 'rejected'
        ? 'Held: the post was rejected and needs changes and a new approval.'
        : 'Held: it was due while still awaiting approval. It goes out as soon as it is approved.'
  } else if (account?.status === 'needs_reconnect') {
    status = 'needs_reconnect'
    message =
      account.status_reason ??
      'The account needs to be reconnected. Reconnect it on the Accounts page, then retry.'
  } else if (account?.status === 'disabled') {
    status = 'failed'
    message = 'The account was disconnected from this workspace, so nothing was sent.'
  } else if (blocking.length > 0) {
    // A reconnect fixes token and permission problems, and sends the target (§8.12).
    status = blocking.every((issue) => RECONNECT_CODES.includes(issue.code))
      ? 'needs_reconnect'
      : 'failed'
    message = `Not sent: ${blocking.map((issue) => issue.message).join(' ')}`
  } else {
    return { kind: 'skipped', reason: 'not claimable' }
  }

  await trx
    .from('post_targets')
    .where('id', targetId)
    .update({ status, last_error: message, last_error_kind: status, updated_at: new Date() })
  await rollUpPost(trx, target.post_id)
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
 * Closes an attempt with its outcome, moves the target and rolls the post up,
 * in one round trip (the SQL function `herald_record_outcome`, migration 0015).
 * Conditional: the target must still be on this attempt (publishing, or made
 * unknown by the reconciler meanwhile, which a definite answer overrides).
 * Returns undefined when the reconciler already took the target elsewhere.
 */
export async function recordOutcome(
  claim: { targetId: number; attemptId: number; attemptNo: number },
  outcome: Outcome
): Promise<FollowUp | undefined> {
  const published = outcome.status === 'published'
  const retrying = outcome.status === 'retrying'
  const first = outcome.parts?.[0]
  const values = {
    status: outcome.status,
    attemptOutcome: retrying && outcome.reason === 'rate_limited' ? 'rate_limited' : outcome.status,
    parts: outcome.parts ?? null,
    externalId: published ? outcome.externalId : null,
    url: published ? (outcome.url ?? null) : null,
    firstExternalId: first?.externalId ?? null,
    firstUrl: first?.url ?? null,
    message: published ? null : outcome.message,
    detail: published ? null : (outcome.detail ?? null),
    errorKind: published ? null : outcome.errorKind,
    dueAt: retrying ? outcome.dueAt.toISOString() : null,
  }
  const moved = await db.rawQuery('SELECT * FROM herald_record_outcome(?, ?, ?, ?::jsonb)', [
    claim.targetId,
    claim.attemptNo,
    claim.attemptId,
    JSON.stringify(values),
  ])
  const target = moved.rows[0]
  if (!target) return undefined
  const followUp: FollowUp = {}
  if (outcome.status === 'retrying') {
    followUp.retry = {
      id: claim.targetId,
      pluginId: target.plugin_id,
      jobSeq: target.job_seq,
      dueAt: outcome.dueAt,
    }
  }
  if (outcome.status === 'unknown') {
    followUp.resolveUnknown = { targetId: claim.targetId, attemptNo: claim.attemptNo }
  }
  return followUp
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
    const target = await trx
      .from('post_targets')
      .where({ id: targetId, status: 'unknown', attempt_count: attemptCount })
      .forUpdate()
      .select('job_seq', 'plugin_id', 'post_id')
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
    await rollUpPost(trx, target.post_id)
    return followUp
  })
}
