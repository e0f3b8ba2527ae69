import type { HttpResponse, PluginContext, TextRequest, TextStreamPart } from '@herald/plugin-sdk'
import { Transient } from '@herald/plugin-sdk'
import { send, TIMEOUTS } from './client.js'
import { type FailureContext, mapInBodyError, mapTransportError } from './errors.js'
import type { OpenRouterSettings } from './settings.js'
import { type SseEvent, SseParser } from './sse.js'
import { chatBody, checkTextRequest, contentText, moderationRefusal } from './text.js'
import { textUsage } from './usage.js'
import type { WireCompletion, WireUsage } from './wire.js'

/**
 * The body's chunks as they arrive (`stream()`, SDK 1.1). The manifest accepts SDK 1.0 hosts too, whose
 * responses only offer the whole body: there the answer is parsed the same way once it is all in (correct,
 * only not incremental).
 */
export function bodyChunks(response: HttpResponse): AsyncIterable<Uint8Array> {
  // Typed as always present, but absent on SDK 1.0 hosts.
  const offered: unknown = (response as { stream?: unknown }).stream
  if (typeof offered === 'function') return response.stream()
  return (async function* () {
    yield await response.bytes()
  })()
}

/**
 * Iterates `source` until `signal` aborts, then rejects at once with its reason, even when the source is
 * stuck waiting for bytes, and cancels the source so the connection is released.
 */
export async function* abortable<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal
): AsyncGenerator<T> {
  signal.throwIfAborted()
  const iterator = source[Symbol.asyncIterator]()
  let onAbort = () => {}
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
  })
  aborted.catch(() => {})
  try {
    while (true) {
      const next = await Promise.race([iterator.next(), aborted])
      if (next.done) return
      yield next.value
    }
  } finally {
    signal.removeEventListener('abort', onAbort)
    // Not awaited: a source stuck on a read may never settle its return(); cancelling is enough.
    iterator.return?.().catch(() => {})
  }
}

/** What one SSE event of a chat completion stream means. */
type Step = {
  delta?: string
  /** A piece of the model's refusal (`delta.refusal`), streamed like content. */
  refusal?: string
  /** The choice finished with `content_filter`. */
  filtered?: true
  usage?: WireUsage
  done?: true
}

function parseChunk(event: SseEvent, failure: FailureContext): Step {
  if (event.data.trim() === '[DONE]') return { done: true }
  let chunk: WireCompletion
  try {
    chunk = JSON.parse(event.data) as WireCompletion
  } catch {
    throw new Transient('OpenRouter sent an unreadable stream chunk; try again.')
  }
  const choice = chunk.choices?.[0]
  const error = chunk.error ?? choice?.error
  // Once the model has started, failures arrive as a chunk with `error` (HTTP status already 200).
  if (error !== undefined && error !== null) throw mapInBodyError(error, failure)
  const step: Step = {}
  const delta = contentText(choice?.delta)
  if (delta !== '') step.delta = delta
  if (typeof choice?.delta?.refusal === 'string') step.refusal = choice.delta.refusal
  if (choice?.finish_reason === 'content_filter') step.filtered = true
  if (chunk.usage) step.usage = chunk.usage
  return step
}

/**
 * `streamText`: a streamed chat completion. Yields text deltas in order, then exactly one `usage` item
 * (from the final usage chunk, with cost). Aborting `ctx.signal`, or leaving the loop early, stops reading
 * and closes the connection.
 */
export async function* streamText(
  ctx: PluginContext<OpenRouterSettings>,
  request: TextRequest
): AsyncGenerator<TextStreamPart> {
  checkTextRequest(request)
  const call = await send(ctx, {
    method: 'POST',
    path: '/chat/completions',
    body: chatBody(request, true),
    timeoutMs: TIMEOUTS.stream,
    idleTimeoutMs: TIMEOUTS.streamIdle,
    model: request.model,
    accept: 'text/event-stream',
  })
  const parser = new SseParser()
  let usage: WireUsage | undefined
  let done = false
  let wrote = false
  let refusal = ''
  const take = function* (events: SseEvent[]): Generator<TextStreamPart> {
    for (const event of events) {
      if (done) return
      const step = parseChunk(event, call.failure)
      if (step.usage) usage = step.usage
      if (step.refusal !== undefined) refusal += step.refusal
      if (step.filtered) throw moderationRefusal(refusal)
      if (step.delta !== undefined) {
        wrote = true
        yield { type: 'delta', delta: step.delta }
      }
      if (step.done) done = true
    }
  }
  try {
    for await (const chunk of abortable(bodyChunks(call.response), ctx.signal)) {
      yield* take(parser.push(chunk))
      if (done) break
    }
    if (!done) yield* take(parser.end())
  } catch (error) {
    throw mapTransportError(error, ctx.signal)
  }
  if (!done) {
    throw new Transient('The answer from OpenRouter stopped before it was complete; try again.')
  }
  // A model that only refused (OpenAI streams its refusal in `delta.refusal`) wrote nothing.
  if (!wrote && refusal.trim() !== '') throw moderationRefusal(refusal)
  if (usage === undefined) {
    ctx.logger.warn({ model: request.model }, 'openrouter stream ended without usage')
  }
  yield { type: 'usage', usage: textUsage(usage) }
}
