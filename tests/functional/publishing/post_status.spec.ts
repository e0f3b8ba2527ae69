import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { ApprovalState, PostStatus } from '#publishing/post_status'
import type { TargetStatus } from '#publishing/target_status'

/**
 * The roll-up rule (`herald_post_status`, migration 0015), case by case: what
 * lists, filters and the dashboard read for a post from its targets and its
 * approval.
 */
const CASES: [TargetStatus[], ApprovalState, PostStatus][] = [
  [[], 'none', 'draft'],
  [['draft', 'draft'], 'none', 'draft'],
  [['scheduled', 'scheduled'], 'none', 'scheduled'],
  [['scheduled'], 'pending', 'pending_approval'],
  [['held', 'scheduled'], 'pending', 'needs_attention'],
  [['scheduled'], 'rejected', 'pending_approval'],
  [['published', 'scheduled'], 'pending', 'partially_published'],
  [['published', 'queued'], 'pending', 'publishing'],
  [['queued', 'failed'], 'none', 'publishing'],
  [['publishing', 'published'], 'approved', 'publishing'],
  [['retrying', 'unknown'], 'none', 'publishing'],
  [['published', 'published'], 'none', 'published'],
  [['published'], 'approved', 'published'],
  [['unknown', 'published'], 'none', 'needs_attention'],
  [['needs_reconnect', 'failed'], 'none', 'needs_attention'],
  [['missed'], 'none', 'needs_attention'],
  [['held'], 'approved', 'needs_attention'],
  [['failed', 'failed'], 'none', 'failed'],
  [['failed', 'published'], 'none', 'partially_published'],
]

test.group('Post status roll-up', () => {
  test('[{0}] with approval {1} rolls up to {2}')
    .with(CASES)
    .run(async ({ assert }, [statuses, approval, expected]) => {
      const result = await db.rawQuery('SELECT herald_post_status(?::text[], ?) AS status', [
        statuses,
        approval,
      ])
      assert.equal(result.rows[0].status, expected)
    })
})
