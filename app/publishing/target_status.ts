/**
 * The state machine of a post on one account (docs/architecture.md §4):
 *
 *   draft -> scheduled -> queued -> publishing -> published
 *
 * Failures go to `retrying` (transient, with backoff, or waiting for a rate
 * limit's reset), `failed` (permanent, with a reason in words),
 * `needs_reconnect` (the account's tokens no longer work) or `unknown` (the
 * creating request left and its answer was lost: never retried blindly).
 * `held`: due while its post still awaits approval. `missed`: stayed
 * unpublished past the missed window.
 */
export const TARGET_STATUSES = [
  'draft',
  'scheduled',
  'queued',
  'publishing',
  'published',
  'retrying',
  'failed',
  'needs_reconnect',
  'unknown',
  'held',
  'missed',
] as const

export type TargetStatus = (typeof TARGET_STATUSES)[number]

/** States a worker may claim a target from */
export const CLAIMABLE: readonly TargetStatus[] = ['scheduled', 'queued', 'retrying']

/** States where the target waits for its job (the reconciler re-enqueues these when due) */
export const WAITING: readonly TargetStatus[] = ['scheduled', 'queued', 'retrying']

/** States that end the pipeline until a person acts */
export const SETTLED: readonly TargetStatus[] = [
  'published',
  'failed',
  'needs_reconnect',
  'unknown',
  'held',
  'missed',
]

/** States a person may edit the content or the time of */
export const EDITABLE: readonly TargetStatus[] = [
  'draft',
  'scheduled',
  'queued',
  'retrying',
  'failed',
  'needs_reconnect',
  'held',
  'missed',
]

/** How each state is shown (../shared/UI.md: same words and colours everywhere) */
export const TARGET_STATUS_LABELS: Record<TargetStatus, { label: string; tone: string }> = {
  draft: { label: 'Draft', tone: 'grey' },
  scheduled: { label: 'Scheduled', tone: 'blue' },
  queued: { label: 'Queued', tone: 'blue' },
  publishing: { label: 'Publishing', tone: 'blue' },
  published: { label: 'Published', tone: 'green' },
  retrying: { label: 'Retrying', tone: 'amber' },
  failed: { label: 'Failed', tone: 'red' },
  needs_reconnect: { label: 'Needs reconnect', tone: 'red' },
  unknown: { label: 'Unknown', tone: 'amber' },
  held: { label: 'Held', tone: 'violet' },
  missed: { label: 'Missed', tone: 'grey-red' },
}
