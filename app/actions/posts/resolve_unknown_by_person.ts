import { DateTime } from 'luxon'
import type PostTarget from '#models/post_target'
import type User from '#models/user'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'
import { transitionPost, TransitionRefused } from '#actions/posts/post_transition'

export type Resolution = { kind: 'published'; url: string } | { kind: 'publish_again' }

/**
 * A person settles a target whose outcome is unknown, after checking the
 * account: it is live (mark it published, with its link), or it is not
 * (publish it again, knowingly).
 */
export class ResolveUnknownByPerson {
  async execute(target: PostTarget, actor: User, resolution: Resolution) {
    return transitionPost(target.postId, async ({ trx, post, targets, enqueue }) => {
      const locked = targets.find((candidate) => candidate.id === target.id)
      if (!locked || locked.status !== 'unknown') {
        throw new TransitionRefused('This target is no longer waiting for a decision.')
      }
      locked.useTransaction(trx)
      if (resolution.kind === 'published') {
        locked.merge({
          status: 'published',
          url: resolution.url,
          publishedAt: DateTime.now(),
          lastError: null,
          lastErrorDetail: null,
          lastErrorKind: null,
        })
        await locked.save()
      } else {
        await enqueue(locked, 'queued', new Date())
      }
      await new RecordAuditEvent().execute(
        {
          action: `post_target.resolved_${resolution.kind}`,
          userId: actor.id,
          workspaceId: post.workspaceId,
          subject: { type: 'post_target', id: locked.id },
        },
        trx
      )
    })
  }
}
