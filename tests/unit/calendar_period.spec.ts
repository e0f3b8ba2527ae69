import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { calendarHref, calendarPeriod } from '#queries/calendar_period'
import { excerpt } from '#queries/calendar_query'

const NOW = DateTime.fromISO('2026-06-10T12:00:00Z')

test.group('Calendar periods', () => {
  test('a month runs from the Monday of its first ISO week to the Sunday of its last', ({
    assert,
  }) => {
    for (const [date, first, last, weeks] of [
      ['2026-03-15', '2026-02-23', '2026-04-05', 6],
      ['2026-02-01', '2026-01-26', '2026-03-01', 5],
      ['2027-02-10', '2027-02-01', '2027-02-28', 4],
      ['2026-11-30', '2026-10-26', '2026-12-06', 6],
    ] as const) {
      const period = calendarPeriod({ view: 'month', date }, 'Europe/Berlin', NOW)
      assert.equal(period.days[0].key, first, date)
      assert.equal(period.days.at(-1)!.key, last, date)
      assert.lengthOf(period.weeks, weeks, date)
      assert.isTrue(period.weeks.every((week) => week[0].start.weekday === 1))
      assert.equal(period.days.filter((day) => day.inPeriod)[0].key.slice(0, 7), date.slice(0, 7))
    }
  })

  test('days start at local midnight and last 23 or 25 hours when the clocks change', ({
    assert,
  }) => {
    const spring = calendarPeriod({ view: 'day', date: '2026-03-29' }, 'Europe/Berlin', NOW)
    assert.equal(spring.days[0].end.diff(spring.days[0].start, 'hours').hours, 23)
    assert.equal(spring.days[0].start.toUTC().toISO(), '2026-03-28T23:00:00.000Z')
    const autumn = calendarPeriod({ view: 'day', date: '2026-10-25' }, 'Europe/Berlin', NOW)
    assert.equal(autumn.days[0].end.diff(autumn.days[0].start, 'hours').hours, 25)
    assert.equal(autumn.zoneLabel, 'Europe/Berlin, UTC+02:00, UTC+01:00 from Sun 25 Oct, 02:00')

    // Chile moves its clocks at midnight: that day starts at 01:00, and no day is lost or doubled.
    const chile = calendarPeriod({ view: 'month', date: '2026-09-10' }, 'America/Santiago', NOW)
    const keys = chile.days.map((day) => day.key)
    const skipped = chile.days.find((day) => day.key === '2026-09-06')!
    assert.equal(skipped.start.toFormat('HH:mm'), '01:00')
    assert.equal(new Set(keys).size, keys.length)
    for (let index = 1; index < chile.days.length; index++) {
      assert.equal(chile.days[index - 1].end.toMillis(), chile.days[index].start.toMillis())
      assert.equal(
        DateTime.fromISO(keys[index - 1])
          .plus({ days: 1 })
          .toISODate(),
        keys[index],
        'consecutive dates'
      )
    }
  })

  test('weeks are Monday to Sunday, across months and years', ({ assert }) => {
    const week = calendarPeriod({ view: 'week', date: '2026-12-31' }, 'UTC', NOW)
    assert.deepEqual(
      week.days.map((day) => day.key),
      [
        '2026-12-28',
        '2026-12-29',
        '2026-12-30',
        '2026-12-31',
        '2027-01-01',
        '2027-01-02',
        '2027-01-03',
      ]
    )
    assert.equal(week.label, '28 Dec 2026 – 3 Jan 2027')
    assert.equal(
      calendarPeriod({ view: 'week', date: '2026-06-30' }, 'UTC', NOW).label,
      '29 Jun – 5 Jul 2026'
    )
    assert.equal(week.previous, '2026-12-24')
    assert.equal(week.next, '2027-01-07')
  })

  test('navigation keeps the date: a month back from the 31st is the last day of the shorter month', ({
    assert,
  }) => {
    const period = calendarPeriod({ view: 'month', date: '2026-03-31' }, 'UTC', NOW)
    assert.equal(period.previous, '2026-02-28')
    assert.equal(period.next, '2026-04-30')
    assert.equal(period.today, '2026-06-10')
    const day = calendarPeriod({ view: 'day', date: '2026-03-01' }, 'UTC', NOW)
    assert.equal(day.previous, '2026-02-28')
    assert.equal(day.label, 'Sunday 1 March 2026')
  })

  test('today and the past are marked in the workspace timezone', ({ assert }) => {
    // 12:00 UTC on 10 June is already the 11th in Auckland
    const period = calendarPeriod({ view: 'week' }, 'Pacific/Auckland', NOW)
    assert.equal(period.anchor, '2026-06-11')
    const today = period.days.find((day) => day.isToday)!
    assert.equal(today.key, '2026-06-11')
    assert.isTrue(period.days.find((day) => day.key === '2026-06-10')!.isPast)
    assert.isFalse(today.isPast)
  })

  test('anything else in the URL falls back to this month', ({ assert }) => {
    for (const input of [
      { view: 'year' },
      { date: '2026-02-30' },
      { date: ['2026-01-01'] },
      { date: '1969-12-31' },
      // Its month runs into year 10000, which has no date PostgreSQL reads
      { date: '9999-12-31' },
      { view: { month: true }, date: 20260101 },
    ]) {
      const period = calendarPeriod(input, 'UTC', NOW)
      assert.equal(period.label, 'June 2026', JSON.stringify(input))
    }
    assert.equal(calendarPeriod({ date: '9998-12-31' }, 'UTC', NOW).label, 'December 9998')
  })

  test('calendar links carry only a known view and a real-looking date', ({ assert }) => {
    assert.equal(calendarHref('acme'), '/w/acme/calendar')
    assert.equal(
      calendarHref('acme', { view: 'week', date: '2026-06-10' }),
      '/w/acme/calendar?view=week&date=2026-06-10'
    )
    assert.equal(
      calendarHref('acme', { view: '"><script>', date: 'https://evil.test' }),
      '/w/acme/calendar'
    )
  })

  test('chip excerpts cut at a word, never through an emoji', ({ assert }) => {
    assert.equal(excerpt('  Short   text\nhere '), 'Short text here')
    assert.equal(excerpt('one two three four five six', 14), 'one two three…')
    const emoji = excerpt(`${'a'.repeat(9)}☕️🎉🎉🎉`, 11)
    assert.notMatch(emoji, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
    assert.isTrue(emoji.endsWith('…'))
  })
})
