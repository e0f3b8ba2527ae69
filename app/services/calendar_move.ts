import { DateTime } from 'luxon'
import type Post from '#models/post'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import { ReschedulePost } from '#actions/posts/reschedule_post'
import { TransitionRefused } from '#actions/posts/post_transition'
import { parseScheduleTime } from '#publishing/schedule_time'
import type { FormErrors } from '#services/htmx'
import { excerpt, type CalendarQuery } from '#queries/calendar_query'
import { calendarHref, calendarPeriod } from '#queries/calendar_period'

/** What the calendar says after a move, in words */
export interface CalendarNotice {
  tone: 'success' | 'error'
  text: string
  /** The post's new day when the calendar on screen does not show it */
  href?: string
}

export type MoveOutcome =
  | { status: 200; date: string; notice: CalendarNotice }
  | { status: 409; notice: CalendarNotice }
  | {
      status: 422
      notice: CalendarNotice
      form: { values: { scheduleDate: string; scheduleTime: string }; errors: FormErrors }
    }

const DATE = /^\d{4}-\d{2}-\d{2}$/
const TIME = /^\d{2}:\d{2}$/

/**
 * A move asked from the calendar (a chip dropped on another day, or its
 * "Move to" form): the date and time typed in the workspace's timezone,
 * handed to ReschedulePost, which alone decides what may move. Bad input is
 * a 422 naming the field; a refusal a 409 with the action's reason.
 */
export async function moveOnCalendar(
  post: Post,
  actor: User,
  input: Record<string, unknown>,
  workspace: Workspace
): Promise<MoveOutcome> {
  const values = {
    scheduleDate: typeof input.scheduleDate === 'string' ? input.scheduleDate.trim() : '',
    scheduleTime: typeof input.scheduleTime === 'string' ? input.scheduleTime.trim() : '',
  }
  const errors: FormErrors = {}
  if (!DATE.test(values.scheduleDate)) errors.scheduleDate = ['Enter a date, like 2026-12-24.']
  if (!TIME.test(values.scheduleTime)) errors.scheduleTime = ['Enter a time, like 09:00.']
  const zone = workspace.timezone
  const parsed = Object.keys(errors).length
    ? undefined
    : parseScheduleTime(values.scheduleDate, values.scheduleTime, zone)
  if (parsed && !parsed.ok) errors.scheduleTime = [parsed.message]
  if (!parsed || !parsed.ok) {
    const text = Object.values(errors).flat().join(' ')
    return { status: 422, notice: { tone: 'error', text }, form: { values, errors } }
  }
  try {
    await new ReschedulePost().execute(post, actor, parsed.at, zone)
  } catch (error) {
    if (!(error instanceof TransitionRefused)) throw error
    return { status: 409, notice: { tone: 'error', text: error.message } }
  }
  const date = parsed.at.toISODate()!
  const text = `Moved to ${parsed.at.toFormat('ccc d LLL yyyy, HH:mm')} (${zone}, UTC${parsed.at.toFormat('ZZ')}).`
  return { status: 200, date, notice: { tone: 'success', text } }
}

/**
 * What the calendar fragment shows after a move asked by htmx: the period
 * that was on screen, the outcome in words (with a link to the post's new day
 * when it left the screen), the refused form open with its errors, or the
 * moved post marked for focus.
 */
export async function calendarAfterMove(
  calendarQuery: CalendarQuery,
  workspace: Workspace,
  shown: { view: unknown; date: unknown },
  postId: number,
  outcome: MoveOutcome
) {
  const period = calendarPeriod(shown, workspace.timezone)
  const calendar = await calendarQuery.execute(workspace, period)
  const notice: CalendarNotice = { ...outcome.notice }
  if (outcome.status === 200 && !calendar.days.some((day) => day.key === outcome.date)) {
    notice.href = calendarHref(workspace.slug, { view: period.view, date: outcome.date })
  }
  return {
    calendar,
    notice,
    moveForm: outcome.status === 422 ? { postId, ...outcome.form } : undefined,
    movedPostId: outcome.status === 200 ? postId : undefined,
  }
}

/**
 * What a post's "Move" form shows (in its chip, or on its own page): its
 * time now (or the next full hour for a post without one), its first words,
 * and the calendar period to go back to.
 */
export function movePage(
  workspace: Workspace,
  post: Post,
  shown: { view?: unknown; date?: unknown }
) {
  const period = calendarPeriod(shown, workspace.timezone)
  const at = (post.scheduledAt ?? DateTime.now().plus({ hours: 1 }).startOf('hour')).setZone(
    workspace.timezone
  )
  return {
    post: { id: post.id, at },
    excerpt: excerpt(post.baseText),
    period,
    back: calendarHref(workspace.slug, { view: period.view, date: period.anchor }),
  }
}
