import { DateTime } from 'luxon'

export type ScheduleTime = { ok: true; at: DateTime } | { ok: false; message: string }

/**
 * A date and a wall-clock time typed in the workspace's timezone, as an
 * instant. Times that do not exist (the hour skipped when clocks go forward)
 * are refused in words rather than silently moved; in the repeated hour when
 * clocks go back, the first occurrence is taken and the UI shows the offset.
 */
export function parseScheduleTime(date: string, time: string, zone: string): ScheduleTime {
  const at = DateTime.fromISO(`${date}T${time}`, { zone })
  if (!at.isValid) {
    return { ok: false, message: 'Enter a valid date and time, like 2026-12-24 at 09:00.' }
  }
  if (at.toFormat('yyyy-MM-dd HH:mm') !== `${date} ${time}`) {
    return {
      ok: false,
      message: `${time} does not exist on ${at.toFormat('d LLL yyyy')} in ${zone} (the clocks go forward). Pick another time.`,
    }
  }
  return { ok: true, at }
}
