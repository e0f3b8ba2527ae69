import type PostTarget from '#models/post_target'
import type User from '#models/user'
import SocialAccount from '#models/social_account'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'
import { transitionPost, TransitionRefused } from '#actions/posts/post_transition'

/**
 * A person retries a target that failed or needed a reconnect: it is queued
 * now, with a fresh attempt budget. A missed target is rescheduled instead
 * (retrying it would publish stale content without anyone choosing a time).
 */
export class RetryTarget {
  async execute(target: PostTarget, actor: User) {
    if (target.status === 'needs_reconnect') {
      const account = await SocialAccount.findOrFail(target.socialAccountId)
      if (account.status !== 'active') {
        throw new TransitionRefused('Reconnect the account on the Accounts page first, then retry.')
      }
    }
    return transitionPost(target.postId, async ({ trx, post, targets, enqueue }) => {
      const locked = targets.find((candidate) => candidate.id === target.id)
      if (!locked || !['failed', 'needs_reconnect'].includes(locked.status)) {
        throw new TransitionRefused(
          locked?.status === 'missed'
            ? 'This target missed its time: reschedule the post to publish it.'
            : 'Only failed targets can be retried.'
        )
      }
      await enqueue(locked, 'queued', new Date())
      await new RecordAuditEvent().execute(
        {
          action: 'post_target.retried',
          userId: actor.id,
          workspaceId: post.workspaceId,
          subject: { type: 'post_target', id: locked.id },
        },
        trx
      )
    })
  }
}
