import { DateTime } from 'luxon'
import type Post from '#models/post'
import type User from '#models/user'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'
import { transitionPost, TransitionRefused } from '#actions/posts/post_transition'

/**
 * An approver sends a post back with a comment. Nothing goes out while it is
 * rejected: at their time its targets are held. Editing it asks for approval again.
 */
export class RejectPost {
  async execute(post: Post, actor: User, comment: string) {
    return transitionPost(post.id, async ({ trx, post: locked }) => {
      if (locked.approvalState !== 'pending' && locked.approvalState !== 'approved') {
        throw new TransitionRefused('This post is not waiting for approval.')
      }
      locked.useTransaction(trx)
      locked.merge({
        approvalState: 'rejected',
        approvalComment: comment,
        approvalDecidedById: actor.id,
        approvalDecidedAt: DateTime.now(),
      })
      await locked.save()
      await new RecordAuditEvent().execute(
        {
          action: 'post.rejected',
          userId: actor.id,
          workspaceId: locked.workspaceId,
          subject: { type: 'post', id: locked.id },
          meta: { comment },
        },
        trx
      )
    })
  }
}
