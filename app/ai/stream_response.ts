import { Readable } from 'node:stream'
import type { HttpContext } from '@adonisjs/core/http'
import type { TextEvent, TextRun } from '#actions/ai/generate_text'

/** Content type of the composer's text stream: one JSON event a line */
export const NDJSON = 'application/x-ndjson'

/** Whether the request asked for the streamed answer (the AI panel's fetch does) */
export function wantsStream(ctx: HttpContext) {
  return (ctx.request.header('accept') ?? '').includes(NDJSON)
}

async function* lines(events: AsyncIterable<TextEvent>) {
  for await (const event of events) yield `${JSON.stringify(event)}\n`
}

/**
 * Sends a text run as it is generated (newline-delimited JSON, flushed event
 * by event). When the person stops it (the panel aborts its fetch, or the tab
 * closes) the connection closes: the run's signal aborts the provider call
 * and the ledger row ends `cancelled` with what was written so far.
 */
export function streamTextRun(ctx: HttpContext, run: TextRun) {
  const raw = ctx.response.response
  const stop = new AbortController()
  raw.once('close', () => {
    if (!raw.writableFinished) stop.abort(new DOMException('The person stopped it', 'AbortError'))
  })
  ctx.response.header('Content-Type', `${NDJSON}; charset=utf-8`)
  ctx.response.header('Cache-Control', 'no-store')
  // Proxies (nginx) must pass each line on at once.
  ctx.response.header('X-Accel-Buffering', 'no')
  ctx.response.stream(Readable.from(lines(run.stream(stop.signal))))
}
