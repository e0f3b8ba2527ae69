import { DateTime } from 'luxon'
import type Post from '#models/post'
import type User from '#models/user'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'
import { transitionPost, inStates, TransitionRefused } from '#actions/posts/post_transition'

/**
 * An approver approves a post waiting for approval (or rejected earlier).
 * Targets held at their time go out at once; the others keep their time.
 */
export class ApprovePost {
  async execute(post: Post, actor: User, comment: string | null) {
    return transitionPost(post.id, async ({ trx, post: locked, targets, enqueue }) => {
      if (locked.approvalState !== 'pending' && locked.approvalState !== 'rejected') {
        throw new TransitionRefused('This post is not waiting for approval.')
      }
      locked.useTransaction(trx)
      locked.merge({
        approvalState: 'approved',
        approvalComment: comment,
        approvalDecidedById: actor.id,
        approvalDecidedAt: DateTime.now(),
      })
      await locked.save()
      const held = inStates(targets, ['held'])
      for (const target of held) await enqueue(target, 'queued', new Date())
      await new RecordAuditEvent().execute(
        {
          action: 'post.approved',
          userId: actor.id,
          workspaceId: locked.workspaceId,
          subject: { type: 'post', id: locked.id },
          meta: { comment, released: held.length },
        },
        trx
      )
      return { released: held.length }
    })
  }
}
