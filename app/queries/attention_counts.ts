import db from '@adonisjs/lucid/services/db'

/** A badge stops counting here and says "99+": the posts list gives the full picture */
export const ATTENTION_CAP = 99
/** Targets read per workspace and state at most: several targets of a post count once */
const TARGETS_READ = 400

export interface AttentionCount {
  /** Posts with a target in the state, up to ATTENTION_CAP */
  count: number
  /** "7", or "99+" once the cap is reached */
  label: string
}

/**
 * SQL for one capped count: `array[posts, targets read]` of a workspace's
 * targets in `status` (a literal state name, never user input), for
 * statements that count alongside other work (the banners' query).
 */
export function cappedCountSql(workspaceParam: string, status: string) {
  if (!/^[a-z_]+$/.test(status)) throw new Error(`Not a state: ${status}`)
  return `(SELECT array[count(DISTINCT post_id), count(*)]::int[] FROM (SELECT post_id FROM post_targets
            WHERE workspace_id = ${workspaceParam} AND status = '${status}'
            ORDER BY due_at DESC NULLS LAST, post_id DESC LIMIT ${TARGETS_READ}) t)`
}

/** What cappedCountSql returned, as a badge's count */
export function attentionCount(posts: number, targets: number): AttentionCount {
  const capped = posts > ATTENTION_CAP || targets >= TARGETS_READ
  const count = Math.min(posts, ATTENTION_CAP)
  return { count, label: capped ? `${count}+` : String(count) }
}

/**
 * Posts with a target in each of `statuses`, per workspace, for the "Needs
 * attention" badges of the workspace dashboard and of the agency's cards.
 * One statement; each (workspace, state) pair reads at most TARGETS_READ
 * entries of post_targets_workspace_status_list_index, so a workspace with
 * 10,000 failed posts costs what one with 400 does (bench/pages.ts: 8 ms
 * down to under 1 ms). States with nothing in them are left out.
 */
export async function countAttention<Status extends string>(
  workspaceIds: readonly number[],
  statuses: readonly Status[]
): Promise<Map<number, Partial<Record<Status, AttentionCount>>>> {
  const counts = new Map<number, Partial<Record<Status, AttentionCount>>>()
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
                 LIMIT ${TARGETS_READ}) t
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
    const entry: Partial<Record<Status, AttentionCount>> = counts.get(row.workspace_id) ?? {}
    entry[row.status] = attentionCount(row.posts, row.targets)
    counts.set(row.workspace_id, entry)
  }
  return counts
}
