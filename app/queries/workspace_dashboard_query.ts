import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type Workspace from '#models/workspace'
import { Publishers } from '#plugin_host/publishers'
import { budgetStatus } from '#ai/budget'
import { formatUsd } from '#ai/pricing'
import { workerHealth } from '#queue/worker_health'
import { excerpt } from '#queries/calendar_query'
import { AT_RISK_STATUSES } from '#queries/accounts_page_query'
import { countAttention, type CappedCount } from '#queries/capped_counts'
import type { PostStatus } from '#publishing/post_status'
import type { TargetStatus } from '#publishing/target_status'

/** Target states that wait for a person, in the order the dashboard lists them */
export const ATTENTION_STATUSES = [
  'failed',
  'unknown',
  'needs_reconnect',
  'missed',
  'held',
] as const satisfies readonly TargetStatus[]
export type AttentionStatus = (typeof ATTENTION_STATUSES)[number]

/** Lines listed per state; the counts say how many there are in all */
const ATTENTION_LINES = 8
const UPCOMING_LINES = 12
const PUBLISHED_LINES = 30

export interface AttentionTarget {
  targetId: number
  postId: number
  excerpt: string
  status: AttentionStatus
  accountName: string
  pluginId: string
  platform: string
  /** The target's last error, in words (held: "goes out as soon as it is approved"...) */
  reason: string | null
  /** When it reached this state */
  since: DateTime
  /** "09:00" today, "Tue 24 Nov, 09:00" before */
  sinceLabel: string
}

export interface ReconnectAccount {
  id: number
  displayName: string
  pluginId: string
  platform: string
  reason: string | null
  /** Its scheduled targets that will fail until someone reconnects it */
  postsAtRisk: number
}

export interface UpcomingPost {
  id: number
  at: DateTime
  excerpt: string
  status: PostStatus
  networks: string[]
}

export interface PublishedPost {
  id: number
  excerpt: string
  /** When it went out (its latest account, if several) */
  at: DateTime
  targets: {
    pluginId: string
    platform: string
    accountName: string
    url: string | null
    at: DateTime
  }[]
}

export interface WorkspaceDashboard {
  attention: {
    targets: AttentionTarget[]
    /** Posts with a target in each state, up to "99+" (states with none are absent) */
    counts: Partial<Record<AttentionStatus, CappedCount>>
    accounts: ReconnectAccount[]
    workersStale: boolean
    /** Nothing at all needs a person */
    clear: boolean
  }
  upcoming: { posts: UpcomingPost[]; total: number; until: DateTime }
  published: { posts: PublishedPost[]; total: number; since: DateTime }
  ai: AiSpend
}

/** This month's AI spend against the budget, ready to show */
export interface AiSpend {
  spentUsd: number
  budgetUsd: number | null
  spent: string
  budget: string | null
  /** Share of the budget spent, 0-100+ (null without a budget) */
  percent: number | null
  reached: boolean
  /** "December 2026" */
  monthLabel: string
}

/**
 * The workspace dashboard: what needs a person first (targets that failed,
 * may have gone out, wait for approval, missed their time or lost their
 * account; accounts to reconnect; workers not running), then the next 7 days,
 * this week's publications and the month's AI spend. A handful of aggregated
 * statements, each bounded by an index and a LIMIT whatever the workspace's
 * size (see database/migrations/0040).
 */
@inject()
export class WorkspaceDashboardQuery {
  constructor(private publishers: Publishers) {}

  async execute(workspace: Workspace, now: DateTime = DateTime.now()): Promise<WorkspaceDashboard> {
    const until = now.plus({ days: 7 })
    const since = now.setZone(workspace.timezone).startOf('week')
    const [targets, counts, accounts, upcoming, published, budget, workersStale] =
      await Promise.all([
        this.#attentionTargets(workspace),
        this.#attentionCounts(workspace),
        this.#accountsToReconnect(workspace),
        this.#upcoming(workspace, now, until),
        this.#published(workspace, since),
        budgetStatus(workspace),
        workerHealth.workersStale(),
      ])
    const total = Object.values(counts).reduce((sum, count) => sum + count.count, 0)
    return {
      attention: {
        targets,
        counts,
        accounts,
        workersStale,
        clear: total === 0 && accounts.length === 0 && !workersStale,
      },
      upcoming: { ...upcoming, until },
      published: { ...published, since },
      ai: {
        spentUsd: budget.spentUsd,
        budgetUsd: budget.budgetUsd,
        spent: formatUsd(budget.spentUsd),
        budget: budget.budgetUsd === null ? null : formatUsd(budget.budgetUsd),
        percent:
          budget.budgetUsd === null || budget.budgetUsd <= 0
            ? null
            : Math.round((budget.spentUsd / budget.budgetUsd) * 100),
        reached: budget.reached,
        monthLabel: budget.window.label,
      },
    }
  }

  /** The newest targets of each state, read from the end of (workspace_id, status, updated_at) */
  async #attentionTargets(workspace: Workspace): Promise<AttentionTarget[]> {
    const latest = ATTENTION_STATUSES.map(
      () => `(SELECT id, post_id, social_account_id, status, last_error, updated_at
                FROM post_targets WHERE workspace_id = ? AND status = ?
               ORDER BY updated_at DESC LIMIT ${ATTENTION_LINES})`
    ).join(' UNION ALL ')
    const result = await db.rawQuery(
      `SELECT t.*, left(p.base_text, 200) AS excerpt, a.display_name, a.plugin_id
         FROM (${latest}) t
         JOIN posts p ON p.id = t.post_id
         JOIN social_accounts a ON a.id = t.social_account_id
        ORDER BY array_position(?::text[], t.status::text), t.updated_at DESC, t.id DESC`,
      [...ATTENTION_STATUSES.flatMap((status) => [workspace.id, status]), [...ATTENTION_STATUSES]]
    )
    const today = DateTime.now().setZone(workspace.timezone).toISODate()
    return result.rows.map((row: Record<string, any>) => {
      const since = DateTime.fromJSDate(row.updated_at).setZone(workspace.timezone)
      return {
        targetId: row.id,
        postId: row.post_id,
        excerpt: excerpt(row.excerpt, 120),
        status: row.status,
        accountName: row.display_name,
        pluginId: row.plugin_id,
        platform: this.publishers.displayName(row.plugin_id),
        reason: row.last_error,
        since,
        sinceLabel: since.toFormat(since.toISODate() === today ? 'HH:mm' : 'ccc d LLL, HH:mm'),
      }
    })
  }

  async #attentionCounts(workspace: Workspace) {
    const counts = await countAttention([workspace.id], ATTENTION_STATUSES)
    return counts.get(workspace.id) ?? {}
  }

  async #accountsToReconnect(workspace: Workspace): Promise<ReconnectAccount[]> {
    const rows = await db
      .from('social_accounts as a')
      .where('a.workspace_id', workspace.id)
      .where('a.status', 'needs_reconnect')
      .orderBy('a.display_name')
      .select('a.id', 'a.display_name', 'a.plugin_id', 'a.status_reason')
      .select(
        db
          .from('post_targets as t')
          .whereColumn('t.social_account_id', 'a.id')
          .whereIn('t.status', [...AT_RISK_STATUSES])
          .count('*')
          .as('at_risk')
      )
    return rows.map((row) => ({
      id: row.id,
      displayName: row.display_name,
      pluginId: row.plugin_id,
      platform: this.publishers.displayName(row.plugin_id),
      reason: row.status_reason,
      postsAtRisk: Number(row.at_risk),
    }))
  }

  /** Posts going out in the next 7 days (drafts with a time are not going out) */
  async #upcoming(workspace: Workspace, now: DateTime, until: DateTime) {
    const result = await db.rawQuery(
      // The page of posts first (counting them all on the way), then their networks: the networks
      // of the 12 shown, not of every post of the week.
      `WITH upcoming AS (
         SELECT p.id, p.status, p.scheduled_at, left(p.base_text, 200) AS excerpt,
                count(*) OVER () AS total
           FROM posts p
          WHERE p.workspace_id = ? AND p.scheduled_at >= ? AND p.scheduled_at < ?
            AND p.status <> 'draft'
          ORDER BY p.scheduled_at, p.id
          LIMIT ?
       )
       SELECT u.*, t.networks
         FROM upcoming u
         LEFT JOIN LATERAL (
           SELECT array_agg(DISTINCT plugin_id) AS networks
             FROM post_targets WHERE post_id = u.id
         ) t ON true
        ORDER BY u.scheduled_at, u.id`,
      [workspace.id, now.toJSDate(), until.toJSDate(), UPCOMING_LINES]
    )
    return {
      total: Number(result.rows[0]?.total ?? 0),
      posts: result.rows.map((row: Record<string, any>): UpcomingPost => ({
        id: row.id,
        at: DateTime.fromJSDate(row.scheduled_at).setZone(workspace.timezone),
        excerpt: excerpt(row.excerpt, 120),
        status: row.status,
        networks: this.publishers.sortNetworks(row.networks ?? []),
      })),
    }
  }

  /** What went out since Monday (the workspace's week), newest first, with the live links */
  async #published(workspace: Workspace, since: DateTime) {
    const [rows, count] = await Promise.all([
      db
        .from('post_targets as t')
        .join('posts as p', 'p.id', 't.post_id')
        .join('social_accounts as a', 'a.id', 't.social_account_id')
        .where('t.workspace_id', workspace.id)
        .whereNotNull('t.published_at')
        .where('t.published_at', '>=', since.toJSDate())
        .orderBy('t.published_at', 'desc')
        .orderBy('t.id', 'desc')
        .limit(PUBLISHED_LINES)
        .select('t.post_id', 't.plugin_id', 't.url', 't.published_at', 'a.display_name')
        .select(db.raw('left(p.base_text, 200) as excerpt')),
      db
        .from('post_targets')
        .where('workspace_id', workspace.id)
        .whereNotNull('published_at')
        .where('published_at', '>=', since.toJSDate())
        .countDistinct('post_id as total')
        .first(),
    ])
    const posts = new Map<number, PublishedPost>()
    for (const row of rows) {
      const at = DateTime.fromJSDate(row.published_at).setZone(workspace.timezone)
      const post: PublishedPost = posts.get(row.post_id) ?? {
        id: row.post_id,
        excerpt: excerpt(row.excerpt, 120),
        at,
        targets: [],
      }
      posts.set(row.post_id, post)
      post.targets.push({
        pluginId: row.plugin_id,
        platform: this.publishers.displayName(row.plugin_id),
        accountName: row.display_name,
        url: webUrl(row.url),
        at,
      })
    }
    for (const post of posts.values()) {
      post.targets = this.publishers.inNetworkOrder(post.targets, (target) => target.pluginId)
    }
    return { posts: [...posts.values()], total: Number(count?.total ?? 0) }
  }
}

/** A link to show: http(s) only, whatever a platform or a person wrote */
function webUrl(url: string | null): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null
}
