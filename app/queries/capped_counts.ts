import db from '@adonisjs/lucid/services/db'

/**
 * Where a count of posts stops. Exact counts of a workspace's 100,000 posts
 * cost a scan on every page view and nobody reads them (docs/benchmarks.md),
 * so counts stop at `posts` ("1,000+"), and counts by target state read at
 * most `targetsRead` entries of post_targets_workspace_status_list_index (a
 * post has a few targets, which count once).
 */
export interface CountCap {
  posts: number
  targetsRead: number
}

/** The "Needs attention" badges: dashboard, agency cards, banners */
export const ATTENTION_CAP: CountCap = { posts: 99, targetsRead: 400 }
/** The posts list's tabs */
export const LIST_CAP: CountCap = { posts: 1000, targetsRead: 4000 }

export interface CappedCount {
  /** Posts counted, up to the cap */
  count: number
  /** "7", or "1,000+" once the cap is reached */
  label: string
}

/** A count read up to a cap (`targets`: rows read, for counts by target state) */
export function cappedCount(posts: number, cap: CountCap, targets = 0): CappedCount {
  const capped = posts > cap.posts || targets >= cap.targetsRead
  const count = Math.min(posts, cap.posts)
  const label = count.toLocaleString('en')
  return { count, label: capped ? `${label}+` : label }
}

/**
 * SQL for the posts of a workspace with a target in `status` (a literal state
 * name, never user input), read up to the cap: `array[posts, targets read]`
 * for cappedCount. For statements that count alongside other work.
 */
export function cappedStateCountSql(workspaceParam: string, status: string, cap: CountCap) {
  if (!/^[a-z_]+$/.test(status)) throw new Error(`Not a state: ${status}`)
  return `(SELECT array[count(DISTINCT post_id), count(*)]::int[] FROM (SELECT post_id FROM post_targets
            WHERE workspace_id = ${workspaceParam} AND status = '${status}'
            ORDER BY due_at DESC NULLS LAST, post_id DESC LIMIT ${cap.targetsRead}) t)`
}

/** SQL for a workspace's posts matching `where`, counted up to the cap (one past it, to tell) */
export function cappedPostCountSql(workspaceParam: string, cap: CountCap, where = '') {
  return `(SELECT count(*) FROM (SELECT 1 FROM posts WHERE workspace_id = ${workspaceParam}${where}
            LIMIT ${cap.posts + 1}) c)`
}

/**
 * Posts with a target in each of `statuses`, per workspace, up to
 * ATTENTION_CAP, for the "Needs attention" badges of the workspace dashboard
 * and the agency's cards. One statement whatever the number of workspaces;
 * a workspace with 10,000 failed posts costs what one with 400 does. States
 * with nothing in them are left out.
 */
export async function countAttention<Status extends string>(
  workspaceIds: readonly number[],
  statuses: readonly Status[]
): Promise<Map<number, Partial<Record<Status, CappedCount>>>> {
  const counts = new Map<number, Partial<Record<Status, CappedCount>>>()
  if (workspaceIds.length === 0 || statuses.length === 0) return counts
  const result = await db.rawQuery(
    `SELECT w.id AS workspace_id, s.status, c.posts, c.targets
       FROM unnest(?::int[]) AS w(id)
      CROSS JOIN unnest(?::text[]) AS s(status)
      CROSS JOIN LATERAL (
        SELECT count(DISTINCT post_id)::int AS posts, count(*)::int AS targets
          FROM (SELECT post_id FROM post_targets
                 WHERE workspace_id = w.id AND status = s.status
                 ORDER BY due_at DESC NULLS LAST, post_id DESC
                 LIMIT ${ATTENTION_CAP.targetsRead}) t
      ) c
      WHERE c.targets > 0`,
    [[...workspaceIds], [...statuses]]
  )
  for (const row of result.rows as Array<{
    workspace_id: number
    status: Status
    posts: number
    targets: number
  }>) {
    const entry: Partial<Record<Status, CappedCount>> = counts.get(row.workspace_id) ?? {}
    entry[row.status] = cappedCount(row.posts, ATTENTION_CAP, row.targets)
    counts.set(row.workspace_id, entry)
  }
  return counts
}
