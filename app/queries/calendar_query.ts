import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type Workspace from '#models/workspace'
import type { PostStatus } from '#publishing/post_status'
import { MOVABLE } from '#actions/posts/reschedule_post'
import { Publishers } from '#plugin_host/publishers'
import {
  calendarHref,
  CALENDAR_VIEWS,
  type CalendarDay,
  type CalendarPeriod,
  type CalendarView,
} from '#queries/calendar_period'

/** A post as a calendar chip */
export interface CalendarPost {
  id: number
  /** Its time in the workspace's timezone */
  at: DateTime
  excerpt: string
  status: PostStatus
  /** Publisher plugin ids of its targets, each once */
  networks: string[]
  /** Some target still waits to go out, so a new time would apply (ReschedulePost's rule) */
  movable: boolean
}

export interface CalendarDayPosts extends CalendarDay {
  posts: CalendarPost[]
  /** Posts of the day left out of `posts` ("+ N more") */
  more: number
  /** The day on its own (day view) */
  href: string
  /** Where "+ N more" leads: the week from a month, the day from a week */
  moreHref: string
}

/** The calendar's navigation, as URLs (each serves the page, or the fragment to htmx) */
export interface CalendarLinks {
  previous: string
  today: string
  next: string
  views: Record<CalendarView, string>
}

export interface CalendarPage {
  period: CalendarPeriod
  days: CalendarDayPosts[]
  weeks: CalendarDayPosts[][]
  /** Posts in the period */
  total: number
  /** Drafts with no time: not on the calendar, they wait on the Posts list */
  undated: number
  links: CalendarLinks
}

/** Chips shown per day before "+ N more": a month cell is small, a week column tall, a day a list */
export const CHIPS_PER_DAY: Record<CalendarView, number> = { month: 3, week: 12, day: 200 }

const EXCERPT_CHARS = 90

/**
 * The posts of a calendar period, day by day in the workspace's timezone.
 * One statement: per day (local midnights computed here, so DST days have
 * their 23 or 25 hours) a count and the first chips by time, read from the
 * (workspace_id, scheduled_at) index, so a crowded month costs a few
 * index probes per day, not a scan of every post; then each chip's networks
 * and whether it can move, from its targets (networks in the shared order).
 */
@inject()
export class CalendarQuery {
  constructor(private publishers: Publishers) {}

  async execute(workspace: Workspace, period: CalendarPeriod): Promise<CalendarPage> {
    const [result, undated] = await Promise.all([
      db.rawQuery(
        `SELECT d.key, c.total, p.id, p.status, p.scheduled_at, p.excerpt, t.networks, t.movable
           FROM unnest(?::text[], ?::timestamptz[], ?::timestamptz[]) AS d(key, day_start, day_end)
           CROSS JOIN LATERAL (
             SELECT count(*)::int AS total FROM posts
              WHERE workspace_id = ? AND scheduled_at >= d.day_start AND scheduled_at < d.day_end
           ) c
           LEFT JOIN LATERAL (
             SELECT id, status, scheduled_at, left(base_text, ?) AS excerpt FROM posts
              WHERE c.total > 0 AND workspace_id = ?
                AND scheduled_at >= d.day_start AND scheduled_at < d.day_end
              ORDER BY scheduled_at, id
              LIMIT ?
           ) p ON true
           LEFT JOIN LATERAL (
             SELECT array_agg(DISTINCT plugin_id) AS networks,
                    coalesce(bool_or(status = ANY(?::text[])), false) AS movable
               FROM post_targets WHERE post_id = p.id
           ) t ON p.id IS NOT NULL
          ORDER BY d.day_start, p.scheduled_at, p.id`,
        [
          period.days.map((day) => day.key),
          period.days.map((day) => day.start.toUTC().toISO()),
          period.days.map((day) => day.end.toUTC().toISO()),
          workspace.id,
          EXCERPT_CHARS * 2,
          workspace.id,
          CHIPS_PER_DAY[period.view],
          [...MOVABLE],
        ]
      ),
      db
        .from('posts')
        .where('workspace_id', workspace.id)
        .whereNull('scheduled_at')
        .count('* as total')
        .first(),
    ])

    const byDay = new Map<string, { total: number; posts: CalendarPost[] }>()
    for (const row of result.rows) {
      const day = byDay.get(row.key) ?? { total: Number(row.total), posts: [] }
      byDay.set(row.key, day)
      if (row.id === null) continue
      day.posts.push({
        id: row.id,
        at: DateTime.fromJSDate(row.scheduled_at).setZone(workspace.timezone),
        excerpt: excerpt(row.excerpt),
        status: row.status,
        networks: this.publishers.sortNetworks(row.networks ?? []),
        movable: Boolean(row.movable),
      })
    }
    const slug = workspace.slug
    const finer: CalendarView = period.view === 'month' ? 'week' : 'day'
    const days = period.days.map((day): CalendarDayPosts => {
      const found = byDay.get(day.key)
      const posts = found?.posts ?? []
      return {
        ...day,
        posts,
        more: (found?.total ?? 0) - posts.length,
        href: calendarHref(slug, { view: 'day', date: day.key }),
        moreHref: calendarHref(slug, { view: finer, date: day.key }),
      }
    })
    const weeks: CalendarDayPosts[][] = []
    for (let index = 0; index < days.length; index += 7) weeks.push(days.slice(index, index + 7))
    return {
      period,
      days,
      weeks,
      total: days.reduce((sum, day) => sum + day.posts.length + day.more, 0),
      undated: Number(undated?.total ?? 0),
      links: {
        previous: calendarHref(slug, { view: period.view, date: period.previous }),
        today: calendarHref(slug, { view: period.view, date: period.today }),
        next: calendarHref(slug, { view: period.view, date: period.next }),
        views: Object.fromEntries(
          CALENDAR_VIEWS.map((view) => [view, calendarHref(slug, { view, date: period.anchor })])
        ) as Record<CalendarView, string>,
      },
    }
  }
}

/** The first words of a post, cut at a word boundary (never through an emoji) */
export function excerpt(text: string | null, length = EXCERPT_CHARS): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim()
  if (flat.length <= length) return flat
  // Not after the first half of a surrogate pair
  const code = flat.charCodeAt(length - 1)
  const cut = flat.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length)
  const space = cut.lastIndexOf(' ')
  return `${(space > length * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`
}
