/**
 * A post's status, rolled up from its targets and its approval, so lists and
 * filters read one column. The rule lives in SQL (`herald_post_status`,
 * database/migrations/0015), next to the statements that change targets.
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
