import type { DateTime } from 'luxon'
import type Post from '#models/post'
import type User from '#models/user'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'
import { transitionPost, inStates, TransitionRefused } from '#actions/posts/post_transition'

/**
 * Targets a new time applies to; published or in-flight ones keep theirs. The
 * calendar offers a move only for posts that have one.
 */
export const MOVABLE = [
  'scheduled',
  'queued',
  'retrying',
  'held',
  'failed',
  'needs_reconnect',
  'missed',
] as const

/**
 * Moves a post to another time (calendar drag, "move to", post page): its
 * waiting targets get the new time and a new job; the old job becomes a no-op.
 */
export class ReschedulePost {
  async execute(post: Post, actor: User, at: DateTime, timezone: string) {
    if (at.toMillis() < Date.now() - 60_000) {
      throw new TransitionRefused('That time has passed. Pick a time in the future.')
    }
    return transitionPost(post.id, async ({ trx, post: locked, targets, enqueue }) => {
      const movable = inStates(targets, MOVABLE)
      if (movable.length === 0) {
        throw new TransitionRefused(
          'Nothing of this post is waiting to go out, so there is nothing to move.'
        )
      }
      locked.useTransaction(trx)
      const from = locked.scheduledAt?.toISO() ?? null
      locked.merge({ scheduledAt: at.toUTC(), scheduleTimezone: timezone })
      await locked.save()
      for (const target of movable) await enqueue(target, 'scheduled', at.toJSDate())
      await new RecordAuditEvent().execute(
        {
          action: 'post.rescheduled',
          userId: actor.id,
          workspaceId: locked.workspaceId,
          subject: { type: 'post', id: locked.id },
          meta: { from, to: at.toUTC().toISO() },
        },
        trx
      )
      return movable.length
    })
  }
}
