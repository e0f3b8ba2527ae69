import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import Post from '#models/post'
import type Workspace from '#models/workspace'
import { Publishers } from '#plugin_host/publishers'
import { TARGET_STATUSES, type TargetStatus } from '#publishing/target_status'
import {
  LIST_CAP,
  cappedCount,
  cappedPostCountSql,
  cappedStateCountSql,
} from '#queries/capped_counts'

/** Filters of the posts list: every target state, plus approval */
export const POST_FILTERS = ['all', 'pending_approval', ...TARGET_STATUSES] as const
export type PostFilter = (typeof POST_FILTERS)[number]

const PER_PAGE = 25

/** Rows read per post wanted when listing by target state */
const MAX_TARGETS_PER_POST = 8

/**
 * A workspace's posts, newest time first, each with its targets and their
 * accounts; filtered by a target state (posts having a target in it) or by
 * pending approval. Counts per filter for the tabs, capped. Each row's
 * targets come in the shared network order.
 */
@inject()
export class PostsListQuery {
  constructor(private publishers: Publishers) {}

  async execute(workspace: Workspace, filter: PostFilter, page: number) {
    const counts = await this.#counts(workspace)
    const ids = TARGET_STATUSES.includes(filter as TargetStatus)
      ? await this.#postsWithTargetsIn(workspace, filter as TargetStatus, page)
      : undefined
    const query = Post.query()
      .where('workspace_id', workspace.id)
      .preload('targets', (targets) => targets.preload('account').orderBy('id'))
    if (ids) {
      query.whereIn('id', ids)
    } else {
      // Matches the index posts (workspace_id, scheduled_at DESC NULLS LAST, id DESC)
      query
        .orderByRaw('scheduled_at DESC NULLS LAST')
        .orderBy('id', 'desc')
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE + 1)
      if (filter === 'pending_approval') query.where('approval_state', 'pending')
    }
    let rows = await query
    if (ids) {
      // Back into the order the index gave the ids
      const byId = new Map(rows.map((post) => [post.id, post]))
      rows = ids.flatMap((id) => byId.get(id) ?? [])
    }
    // One more row than shown tells whether an older page exists, without counting them all.
    return {
      posts: rows.slice(0, PER_PAGE).map((post) => ({
        post,
        targets: this.publishers.inNetworkOrder(post.targets, (target) => target.pluginId),
      })),
      page,
      hasOlder: rows.length > PER_PAGE,
      counts,
    }
  }

  /**
   * The ids of a page of posts having a target in a state, newest due time
   * first, from the index post_targets (workspace_id, status, due_at DESC
   * NULLS LAST, post_id DESC): a post's targets sit side by side there, so
   * reading a few rows per post and keeping each post once is enough.
   */
  async #postsWithTargetsIn(workspace: Workspace, status: TargetStatus, page: number) {
    const wanted = page * PER_PAGE + 1
    const rows = await db
      .from('post_targets')
      .where({ workspace_id: workspace.id, status })
      .orderByRaw('due_at DESC NULLS LAST')
      .orderBy('post_id', 'desc')
      .limit(wanted * MAX_TARGETS_PER_POST)
      .select('post_id')
    const ids = [...new Set(rows.map((row) => row.post_id as number))]
    return ids.slice((page - 1) * PER_PAGE, wanted)
  }

  /** Posts per filter for the tabs, in one statement, each read up to LIST_CAP ("1,000+") */
  async #counts(workspace: Workspace): Promise<Record<PostFilter, string>> {
    const result = await db.rawQuery(
      `SELECT ${cappedPostCountSql(':ws', LIST_CAP)} AS "all",
              ${cappedPostCountSql(':ws', LIST_CAP, " AND approval_state = 'pending'")} AS pending_approval,
              ${TARGET_STATUSES.map((status) => `${cappedStateCountSql(':ws', status, LIST_CAP)} AS "${status}"`).join(', ')}`,
      { ws: workspace.id }
    )
    const row = result.rows[0] as Record<PostFilter, string | number[]>
    const counts = {} as Record<PostFilter, string>
    for (const filter of POST_FILTERS) {
      const value = row[filter]
      counts[filter] = Array.isArray(value)
        ? cappedCount(value[0], LIST_CAP, value[1]).label
        : cappedCount(Number(value), LIST_CAP).label
    }
    return counts
  }
}
