import type { TargetStatus } from '#publishing/target_status'

/**
 * A post's status, rolled up from its targets and its approval, so lists and
 * filters read one column.
 */
export const POST_STATUSES = [
  'draft',
  'pending_approval',
  'scheduled',
  'publishing',
  'published',
  'partially_published',
  'needs_attention',
  'failed',
] as const

export type PostStatus = (typeof POST_STATUSES)[number]

export type ApprovalState = 'none' | 'pending' | 'approved' | 'rejected'

export const POST_STATUS_LABELS: Record<PostStatus, { label: string; tone: string }> = {
  draft: { label: 'Draft', tone: 'grey' },
  pending_approval: { label: 'Pending approval', tone: 'violet' },
  scheduled: { label: 'Scheduled', tone: 'blue' },
  publishing: { label: 'Publishing', tone: 'blue' },
  published: { label: 'Published', tone: 'green' },
  partially_published: { label: 'Partly published', tone: 'amber' },
  needs_attention: { label: 'Needs attention', tone: 'amber' },
  failed: { label: 'Failed', tone: 'red' },
}

/** Target states a person has to look at */
const ATTENTION: readonly TargetStatus[] = ['unknown', 'needs_reconnect', 'held', 'missed']

/**
 * The roll-up: drafts stay drafts; a post waiting for approval says so until
 * something went out; then the worst of its targets decides.
 */
export function rollUpPostStatus(
  targets: readonly TargetStatus[],
  approval: ApprovalState
): PostStatus {
  if (targets.length === 0 || targets.every((status) => status === 'draft')) return 'draft'
  const published = targets.filter((status) => status === 'published').length
  if (published === targets.length) return 'published'
  const inFlight = targets.some((status) =>
    (['queued', 'publishing', 'retrying'] as TargetStatus[]).includes(status)
  )
  if (published === 0 && (approval === 'pending' || approval === 'rejected')) {
    return targets.includes('held') ? 'needs_attention' : 'pending_approval'
  }
  if (inFlight) return 'publishing'
  if (targets.some((status) => ATTENTION.includes(status))) return 'needs_attention'
  if (targets.includes('failed')) return published > 0 ? 'partially_published' : 'failed'
  if (published > 0) return 'partially_published'
  return 'scheduled'
}
