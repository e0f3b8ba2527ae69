import type { JsonBody, PluginContext, TextRequest, TextResult } from '@herald/plugin-sdk'
import { Permanent, Transient } from '@herald/plugin-sdk'
import { readJson, send, throwIfInBodyError, TIMEOUTS } from './client.js'
import type { OpenRouterSettings } from './settings.js'
import { textUsage } from './usage.js'
import type { WireChoice, WireCompletion, WireMessage } from './wire.js'

const ROLES = new Set(['system', 'user', 'assistant'])

/** Refuses requests OpenRouter would refuse anyway, before spending a round trip. */
export function checkTextRequest(request: TextRequest): void {
  if (typeof request.model !== 'string' || request.model.trim() === '') {
    throw new Permanent('Choose a text model before generating.', { code: 'missing_model' })
  }
  const messages = Array.isArray(request.messages) ? request.messages : []
  const valid = messages.every(
    (message) => ROLES.has(message?.role) && typeof message.content === 'string'
  )
  if (messages.length === 0 || !valid) {
    throw new Permanent('The prompt is empty or malformed; write something to generate from.', {
      code: 'invalid_messages',
    })
  }
}

/** Body of `POST /chat/completions` for a text request; `usage.include` asks for the cost. */
export function chatBody(request: TextRequest, stream: boolean): JsonBody {
  return {
    model: request.model,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    stream,
    usage: { include: true },
  }
}

/** Text of a message or delta: a string, or (rarely) a list of text parts. */
export function contentText(message: WireMessage | undefined): string {
  const content = message?.content
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('')
}

/** Longest part of a model's own refusal kept in the message. */
const MAX_REFUSAL = 300

/** The moderation refusal, quoting the model's own words (shortened) when it gave some. */
export function moderationRefusal(refusal = ''): Permanent {
  const text = refusal.trim()
  const words = text.length > MAX_REFUSAL ? `${text.slice(0, MAX_REFUSAL)}…` : text
  return new Permanent(
    words === ''
      ? "The provider's moderation refused this prompt: content filter."
      : `The provider's moderation refused this prompt: "${words}"`,
    { code: 'moderation', ...(words === '' ? {} : { platformMessage: text }) }
  )
}

/**
 * The moderation refusal of a complete (non-streamed) choice: it finished with `content_filter`, or its
 * message carries a `refusal` and no content.
 */
export function contentFiltered(choice: WireChoice | undefined): Permanent | undefined {
  const refusal = typeof choice?.message?.refusal === 'string' ? choice.message.refusal : ''
  const refusedOnly = refusal.trim() !== '' && contentText(choice?.message).trim() === ''
  if (choice?.finish_reason !== 'content_filter' && !refusedOnly) return undefined
  return moderationRefusal(refusal)
}

/** `generateText`: one non-streaming chat completion. */
export async function generateText(
  ctx: PluginContext<OpenRouterSettings>,
  request: TextRequest
): Promise<TextResult> {
  checkTextRequest(request)
  const call = await send(ctx, {
    method: 'POST',
    path: '/chat/completions',
    body: chatBody(request, false),
    timeoutMs: TIMEOUTS.text,
    model: request.model,
  })
  const completion = await readJson<WireCompletion>(ctx, call)
  throwIfInBodyError(completion, call.failure)
  const choice = completion.choices?.[0]
  if (choice === undefined) throw new Transient('OpenRouter returned no answer; try again.')
  const filtered = contentFiltered(choice)
  if (filtered) throw filtered
  return { text: contentText(choice.message), usage: textUsage(completion.usage) }
}
