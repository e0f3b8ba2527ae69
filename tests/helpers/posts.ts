import { DateTime } from 'luxon'
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
