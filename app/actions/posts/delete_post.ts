import type Post from '#models/post'
import type User from '#models/user'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'
import { transitionPost, inStates, TransitionRefused } from '#actions/posts/post_transition'

/**
 * Deletes a post that never went out. Posts with a target in flight, published
 * or unknown are history and stay.
 */
export class DeletePost {
  async execute(post: Post, actor: User) {
    await transitionPost(post.id, async ({ trx, post: locked, targets }) => {
      if (inStates(targets, ['publishing', 'published', 'unknown']).length > 0) {
        throw new TransitionRefused(
          'This post went out (or may have), so it stays in the history and cannot be deleted.'
        )
      }
      await new RecordAuditEvent().execute(
        {
          action: 'post.deleted',
          userId: actor.id,
          workspaceId: locked.workspaceId,
          subject: { type: 'post', id: locked.id },
          meta: { text: locked.baseText.slice(0, 200) },
        },
        trx
      )
      await trx.from('posts').where('id', locked.id).delete()
    })
  }
}
