import db from '@adonisjs/lucid/services/db'
import Post from '#models/post'
import type Workspace from '#models/workspace'
import { TARGET_STATUSES, type TargetStatus } from '#publishing/target_status'

/** Filters of the posts list: every target state, plus approval */
export const POST_FILTERS = ['all', 'pending_approval', ...TARGET_STATUSES] as const
export type PostFilter = (typeof POST_FILTERS)[number]

const PER_PAGE = 25

/**
 * A workspace's posts, newest time first, each with its targets and their
 * accounts; filtered by a target state (posts having a target in it) or by
 * pending approval. Counts per filter for the tabs.
 */
export class PostsListQuery {
  async execute(workspace: Workspace, filter: PostFilter, page: number) {
    const query = Post.query()
      .where('workspace_id', workspace.id)
      .preload('targets', (targets) => targets.preload('account').orderBy('id'))
      .orderByRaw('scheduled_at DESC NULLS LAST')
      .orderBy('id', 'desc')
    if (filter === 'pending_approval') query.where('approval_state', 'pending')
    else if (filter !== 'all') {
      query.whereIn('id', (sub) =>
        sub
          .from('post_targets')
          .where('workspace_id', workspace.id)
          .where('status', filter)
          .select('post_id')
      )
    }
    const posts = await query.paginate(page, PER_PAGE)
    return { posts, counts: await this.#counts(workspace) }
  }

  async #counts(workspace: Workspace) {
    const rows = await db
      .from('post_targets')
      .where('workspace_id', workspace.id)
      .groupBy('status')
      .select('status')
      .countDistinct('post_id as total')
    const counts: Partial<Record<PostFilter, number>> = {}
    for (const row of rows) counts[row.status as TargetStatus] = Number(row.total)
    const pending = await db
      .from('posts')
      .where({ workspace_id: workspace.id, approval_state: 'pending' })
      .count('* as total')
      .first()
    counts.pending_approval = Number(pending?.total ?? 0)
    const all = await db
      .from('posts')
      .where('workspace_id', workspace.id)
      .count('* as total')
      .first()
    counts.all = Number(all?.total ?? 0)
    return counts
  }
}
