/** The local day (data-calendar-day) whose cell holds the post's chip */
export function dayOfChip(html: string, postId: number): string | undefined {
  for (const part of html.split('data-calendar-day="').slice(1)) {
    if (part.includes(`id="chip-${postId}"`)) return part.slice(0, 10)
  }
  return undefined
}

/** The local time a post's chip shows */
export function timeOfChip(html: string, postId: number): string | undefined {
  return new RegExp(`id="chip-${postId}"[\\s\\S]*?<time[^>]*>([^<]+)</time>`).exec(html)?.[1]
}

/** The days a calendar page shows, in order */
export function calendarDays(html: string): string[] {
  return [...html.matchAll(/data-calendar-day="([\d-]+)"/g)].map((match) => match[1])
}
