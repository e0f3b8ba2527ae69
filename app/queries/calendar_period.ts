import { DateTime, IANAZone } from 'luxon'

export const CALENDAR_VIEWS = ['month', 'week', 'day'] as const
export type CalendarView = (typeof CALENDAR_VIEWS)[number]

/** One day of the calendar: its local date and the UTC instants it spans (23 or 25 hours on DST days) */
export interface CalendarDay {
  /** "2026-06-09", the key in URLs and drop targets */
  key: string
  /** Local midnight */
  start: DateTime
  /** The next local midnight */
  end: DateTime
  isToday: boolean
  /** Over before today (a post cannot move there) */
  isPast: boolean
  /** In the month shown (month view); always true in week and day views */
  inPeriod: boolean
}

/** The UTC offset in force from a moment of the period (a DST change adds a second one) */
export interface CalendarOffset {
  from: DateTime
  label: string
}

export interface CalendarPeriod {
  view: CalendarView
  zone: string
  /** The date the period was asked for (yyyy-MM-dd); navigation keeps it */
  anchor: string
  /** "June 2026", "8 – 14 Jun 2026", "Tue 9 Jun 2026" */
  label: string
  days: CalendarDay[]
  /** Month view: the days by ISO week, Monday first */
  weeks: CalendarDay[][]
  /** First local midnight shown, and the local midnight after the last day */
  start: DateTime
  end: DateTime
  offsets: CalendarOffset[]
  /** "Europe/Berlin, UTC+01:00", or with a DST change "…, UTC+01:00, UTC+02:00 from Sun 29 Mar, 03:00" */
  zoneLabel: string
  previous: string
  next: string
  today: string
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * The days a calendar view shows, in the workspace's timezone. Anything the
 * URL says that is not a real date (or a view that does not exist) falls
 * back to today's month: a bad link never breaks the page.
 *
 * Dates are counted in UTC (plain calendar arithmetic, no timezone lookups)
 * and each day's local midnight is looked up once in the zone, so a month
 * costs about 43 zone lookups rather than hundreds.
 */
export function calendarPeriod(
  input: { view?: unknown; date?: unknown },
  zone: string,
  now: DateTime = DateTime.now()
): CalendarPeriod {
  const view: CalendarView = (CALENDAR_VIEWS as readonly unknown[]).includes(input.view)
    ? (input.view as CalendarView)
    : 'month'
  const local = now.setZone(zone)
  const today = DateTime.utc(local.year, local.month, local.day)
  const todayKey = today.toISODate()!
  const anchor = parseDate(input.date) ?? today
  const anchorKey = anchor.toISODate()!

  let first: DateTime
  let count: number
  let label: string
  let step: { months: number } | { weeks: number } | { days: number }
  if (view === 'month') {
    const monthStart = anchor.startOf('month')
    first = monthStart.startOf('week')
    const after = monthStart.endOf('month').startOf('week').plus({ weeks: 1 })
    count = Math.round(after.diff(first, 'days').days)
    label = monthStart.toFormat('LLLL yyyy')
    step = { months: 1 }
  } else if (view === 'week') {
    first = anchor.startOf('week')
    count = 7
    label = weekLabel(first, first.plus({ days: 6 }))
    step = { weeks: 1 }
  } else {
    first = anchor
    count = 1
    label = anchor.toFormat('cccc d LLLL yyyy')
    step = { days: 1 }
  }

  // Count + 1 local midnights: each day starts at one and ends at the next.
  const midnights: DateTime[] = []
  const keys: string[] = []
  for (let index = 0; index <= count; index++) {
    const date = first.plus({ days: index })
    keys.push(date.toISODate()!)
    midnights.push(localMidnight(date, zone))
  }
  const month = anchorKey.slice(0, 7)
  const days: CalendarDay[] = []
  for (let index = 0; index < count; index++) {
    const key = keys[index]
    days.push({
      key,
      start: midnights[index],
      end: midnights[index + 1],
      isToday: key === todayKey,
      isPast: key < todayKey,
      inPeriod: view !== 'month' || key.startsWith(month),
    })
  }
  const weeks: CalendarDay[][] = []
  for (let index = 0; index < days.length; index += 7) weeks.push(days.slice(index, index + 7))

  const offsets = offsetsWithin(days, zone)
  const zoneLabel = [
    `${zone}, ${offsets[0].label}`,
    ...offsets
      .slice(1)
      .map((offset) => `${offset.label} from ${offset.from.toFormat('ccc d LLL, HH:mm')}`),
  ].join(', ')
  return {
    view,
    zone,
    anchor: anchorKey,
    label,
    days,
    weeks,
    start: days[0].start,
    end: days[days.length - 1].end,
    offsets,
    zoneLabel,
    previous: anchor.minus(step).toISODate()!,
    next: anchor.plus(step).toISODate()!,
    today: todayKey,
  }
}

/** Where a date's day starts in the zone: midnight, or the first moment after it when the clocks skip it */
function localMidnight(date: DateTime, zone: string) {
  return DateTime.fromObject({ year: date.year, month: date.month, day: date.day }, { zone })
}

/** A yyyy-MM-dd date as a UTC calendar date */
function parseDate(value: unknown): DateTime | undefined {
  if (typeof value !== 'string' || !DATE.test(value)) return undefined
  const date = DateTime.fromISO(value, { zone: 'utc' })
  // Years far from now are refused too: nobody schedules in 1066, and a period
  // that runs into year 10000 has no ISO date PostgreSQL reads ("+010000-01-02").
  if (!date.isValid || date.year < 1970 || date.year > 9998) return undefined
  return date
}

function weekLabel(first: DateTime, last: DateTime) {
  if (first.hasSame(last, 'month')) return `${first.toFormat('d')} – ${last.toFormat('d LLL yyyy')}`
  if (first.hasSame(last, 'year')) {
    return `${first.toFormat('d LLL')} – ${last.toFormat('d LLL yyyy')}`
  }
  return `${first.toFormat('d LLL yyyy')} – ${last.toFormat('d LLL yyyy')}`
}

/** The offset at the start, and each one a DST change brings before the end */
function offsetsWithin(days: CalendarDay[], zone: string): CalendarOffset[] {
  const first = days[0].start
  const offsets: CalendarOffset[] = [{ from: first, label: `UTC${first.toFormat('ZZ')}` }]
  const iana = IANAZone.create(zone)
  for (const day of days) {
    if (day.start.offset === day.end.offset) continue
    // The first minute with the new offset, found by halving the day
    let before = day.start.toMillis()
    let after = day.end.toMillis()
    while (after - before > 60_000) {
      const middle = before + Math.max(60_000, Math.floor((after - before) / 120_000) * 60_000)
      if (iana.offset(middle) === day.start.offset) before = middle
      else after = middle
    }
    const moment = DateTime.fromMillis(after, { zone })
    offsets.push({ from: moment, label: `UTC${moment.toFormat('ZZ')}` })
  }
  return offsets
}

/** The calendar's URL for a view and a date; anything else the input holds is dropped */
export function calendarHref(slug: string, input: { view?: unknown; date?: unknown } = {}) {
  const params = new URLSearchParams()
  if ((CALENDAR_VIEWS as readonly unknown[]).includes(input.view)) {
    params.set('view', input.view as string)
  }
  if (typeof input.date === 'string' && DATE.test(input.date)) params.set('date', input.date)
  const query = params.toString()
  return `/w/${slug}/calendar${query ? `?${query}` : ''}`
}
