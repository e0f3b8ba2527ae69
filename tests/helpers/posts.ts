import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import type SocialAccount from '#models/social_account'
import type Workspace from '#models/workspace'
import type { ApprovalState } from '#publishing/post_status'
import { rollUpPostNow } from '#publishing/pipeline_store'
import type { TargetStatus } from '#publishing/target_status'

export interface TargetSpec {
  account: SocialAccount
  status: TargetStatus
  lastError?: string
  publishedAt?: DateTime
  url?: string
}

/**
 * A post as the pipeline would have left it, written directly: its time, its
 * targets in the given states, and the roll-up status the pipeline computes
 * (for read-side tests: calendar, dashboards, banners).
 */
export async function createPost(
  workspace: Workspace,
  options: {
    text?: string
    at?: DateTime | null
    targets?: TargetSpec[]
    approval?: ApprovalState
  } = {}
) {
  const targets = options.targets ?? []
  const approval = options.approval ?? 'none'
  const at = options.at === undefined ? DateTime.now().plus({ days: 1 }) : options.at
  const post = await Post.create({
    workspaceId: workspace.id,
    baseText: options.text ?? 'Fresh beans are in this week',
    scheduledAt: at ? at.toUTC() : null,
    scheduleTimezone: at ? workspace.timezone : null,
    approvalState: approval,
    status: 'draft',
  })
  for (const spec of targets) {
    await PostTarget.create({
      postId: post.id,
      workspaceId: workspace.id,
      socialAccountId: spec.account.id,
      pluginId: spec.account.pluginId,
      status: spec.status,
      dueAt: at && spec.status !== 'draft' ? at.toUTC() : null,
      jobSeq: 1,
      attemptCount: 0,
      publishedParts: [],
      preflight: [],
      lastError: spec.lastError ?? null,
      publishedAt: spec.publishedAt ?? null,
      url: spec.url ?? null,
      externalId: spec.status === 'published' ? `ext-${post.id}-${spec.account.id}` : null,
    })
  }
  await rollUpPostNow(post.id)
  await post.refresh()
  return post
}

/**
 * Many one-target posts in one statement, for tests of counts and paging
 * (1,000 of them take a second, not a minute of createPost): "`<text> <n>`"
 * for n = 0..count-1, due one minute apart so the last is the newest, a
 * minute ago; rolled up as the pipeline would.
 */
export async function insertPosts(
  workspace: Workspace,
  account: SocialAccount,
  options: { count: number; status: TargetStatus; text: string }
) {
  const created = await db.rawQuery(
    `WITH created AS (
       INSERT INTO posts (workspace_id, base_text, status, scheduled_at, schedule_timezone,
                          approval_state, created_at, updated_at)
       SELECT :ws, :text || ' ' || g, 'draft', now() - (:count - g) * interval '1 minute', 'UTC',
              'none', now(), now()
         FROM generate_series(0, :count - 1) g
       RETURNING id, scheduled_at
     )
     INSERT INTO post_targets (post_id, workspace_id, social_account_id, plugin_id, status, due_at,
                               created_at, updated_at)
     SELECT id, :ws, :account, :plugin, :status, scheduled_at, now(), now() FROM created
     RETURNING post_id`,
    {
      ws: workspace.id,
      text: options.text,
      count: options.count,
      account: account.id,
      plugin: account.pluginId,
      status: options.status,
    }
  )
  await db.rawQuery('SELECT herald_roll_up_post(id) FROM unnest(?::int[]) AS p(id)', [
    created.rows.map((row: { post_id: number }) => row.post_id),
  ])
}
