import app from '@adonisjs/core/services/app'
import type Post from '#models/post'
import type User from '#models/user'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'
import { transitionPost, inStates, TransitionRefused } from '#actions/posts/post_transition'
import { TargetQueue } from '#publishing/target_queue'

/** Targets an unschedule takes back to draft; the others (in flight or out) stay as they are */
const WAITING = [
  'scheduled',
  'queued',
  'retrying',
  'held',
  'failed',
  'needs_reconnect',
  'missed',
] as const

/**
 * Takes a post off the schedule: waiting targets go back to draft and their
 * jobs are removed (a job that already started finds a newer sequence and stops).
 */
export class UnschedulePost {
  async execute(post: Post, actor: User) {
    const removed = await transitionPost(post.id, async ({ trx, post: locked, targets }) => {
      const waiting = inStates(targets, WAITING)
      if (waiting.length === 0)
        throw new TransitionRefused('Nothing of this post is waiting to go out.')
      const stale = waiting.map((target) => ({ target, seq: target.jobSeq }))
      for (const target of waiting) {
        target.useTransaction(trx)
        target.merge({ status: 'draft', dueAt: null, jobSeq: target.jobSeq + 1, lastError: null })
        await target.save()
      }
      await new RecordAuditEvent().execute(
        {
          action: 'post.unscheduled',
          userId: actor.id,
          workspaceId: locked.workspaceId,
          subject: { type: 'post', id: locked.id },
        },
        trx
      )
      return stale
    })
    const queue = await app.container.make(TargetQueue)
    for (const { target, seq } of removed) await queue.remove(target, seq)
  }
}
