import db from '@adonisjs/lucid/services/db'
import type Post from '#models/post'
import PostTarget from '#models/post_target'
import { Publishers } from '#plugin_host/publishers'
import { inject } from '@adonisjs/core'

/** States that change without anyone acting: the page polls while one is present */
const MOVING = ['queued', 'publishing', 'retrying']
/** A scheduled target due this soon also makes the page poll, so people watch it go out */
const SOON_MS = 10 * 60_000

/**
 * A post's page: its content and approval, and per target the account, the
 * state, the live link, the attempts (time, outcome, the platform's words)
 * and whether the network can look up posts (for unknown outcomes).
 */
@inject()
export class PostDetailQuery {
  constructor(private publishers: Publishers) {}

  async execute(post: Post) {
    await post.load('media', (media) => media.orderBy('post_media.position'))
    await post.load('author')
    await post.load('approvalDecidedBy')
    const targets = await PostTarget.query()
      .where('post_id', post.id)
      .preload('account')
      .preload('attempts', (attempts) => attempts.orderBy('attempt_no', 'desc'))
      .orderBy('id')
    const rows = this.publishers
      .inNetworkOrder(targets, (target) => target.pluginId)
      .map((target) => ({
        target,
        platform: this.publishers.displayName(target.pluginId),
        canLookUp: Boolean(this.publishers.find(target.pluginId)?.publisher.findPublished),
      }))
    const frozen = targets.some((target) =>
      ['publishing', 'published', 'unknown'].includes(target.status)
    )
    const waiting = targets.some((target) =>
      ['scheduled', 'queued', 'retrying', 'held', 'failed', 'needs_reconnect', 'missed'].includes(
        target.status
      )
    )
    const history = await db
      .from('audit_events as e')
      .leftJoin('users as u', 'u.id', 'e.user_id')
      .where('e.workspace_id', post.workspaceId)
      .where('e.subject_type', 'post')
      .where('e.subject_id', String(post.id))
      .orderBy('e.created_at', 'desc')
      .limit(20)
      .select('e.action', 'e.meta', 'e.created_at', 'u.full_name')
    return {
      post,
      rows,
      frozen,
      waiting,
      moving: targets.some(
        (target) =>
          MOVING.includes(target.status) ||
          (target.status === 'scheduled' &&
            target.dueAt !== null &&
            target.dueAt.toMillis() < Date.now() + SOON_MS)
      ),
      history,
    }
  }
}
