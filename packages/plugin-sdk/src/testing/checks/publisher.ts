import type { PublishDraft, Publisher, PublishInput } from '../../contracts/publisher.js'
import { isPluginError } from '../../errors.js'
import type {
  CheckOptions,
  ContextFactory,
  FindPublishedScenario,
  UnknownOutcomeScenario,
} from '../types.js'
import { describeError, secretsInError, settle } from './settle.js'

/**
 * The fake accepts the creating request, then hangs or drops the connection: `publish` must reject with
 * `Unknown`, never with a retryable kind, since the post may exist.
 */
export async function checkUnknownOutcome<S>(
  publisher: Publisher<S>,
  input: PublishInput,
  scenario: UnknownOutcomeScenario,
  context: ContextFactory<S>,
  options: CheckOptions = {}
): Promise<string[]> {
  await scenario.arrange()
  const outcome = await settle(publisher.publish(context(), input), options.withinMs ?? 5000)
  const label = `[${scenario.name}]`
  if (outcome.status === 'pending') {
    return [
      `${label} publish still pending after ${outcome.ms} ms; keep ctx.http timeouts in place`,
    ]
  }
  if (outcome.status === 'resolved')
    return [`${label} publish resolved; expected it to reject with Unknown`]
  const error = outcome.error
  if (!isPluginError(error)) {
    return [
      `${label} publish rejected with ${describeError(error)}; a request that may have been applied must be Unknown`,
    ]
  }
  const problems = secretsInError(error, options.secrets).map((problem) => `${label} ${problem}`)
  if (error.kind !== 'Unknown') {
    const retryable =
      error.kind === 'Transient' || error.kind === 'RateLimited'
        ? ' (retryable: it could post twice)'
        : ''
    problems.unshift(
      `${label} publish rejected with ${describeError(error)}${retryable}; it must be Unknown`
    )
  }
  return problems
}

/** The fake already holds a post: `findPublished` must return it. */
export async function checkFindPublished<S>(
  publisher: Publisher<S>,
  scenario: FindPublishedScenario,
  context: ContextFactory<S>,
  options: CheckOptions = {}
): Promise<string[]> {
  if (!publisher.findPublished) return ['the publisher has no findPublished method']
  await scenario.arrange()
  const outcome = await settle(
    publisher.findPublished(context(), scenario.input),
    options.withinMs ?? 5000
  )
  if (outcome.status === 'pending') return [`findPublished still pending after ${outcome.ms} ms`]
  if (outcome.status === 'rejected')
    return [`findPublished rejected with ${describeError(outcome.error)}`]
  const found = outcome.value as { externalId?: unknown; url?: unknown } | null
  if (found === null || found === undefined) {
    return [`findPublished returned nothing; expected post ${scenario.expect.externalId}`]
  }
  const problems: string[] = []
  if (found.externalId !== scenario.expect.externalId) {
    problems.push(
      `findPublished returned ${String(found.externalId)}; expected ${scenario.expect.externalId}`
    )
  }
  if (typeof found.url !== 'string' || !URL.canParse(found.url))
    problems.push('findPublished returned no absolute url')
  return problems
}

/** Against the healthy fake, `publish` returns an id and an absolute URL (and one entry per part when it lists parts). */
export async function checkPublish<S>(
  publisher: Publisher<S>,
  input: PublishInput,
  context: ContextFactory<S>,
  options: CheckOptions = {}
): Promise<string[]> {
  const outcome = await settle(publisher.publish(context(), input), options.withinMs ?? 5000)
  if (outcome.status === 'pending') return [`publish still pending after ${outcome.ms} ms`]
  if (outcome.status === 'rejected')
    return [`publish rejected with ${describeError(outcome.error)}`]
  const result = outcome.value as { externalId?: unknown; url?: unknown; parts?: unknown }
  const problems: string[] = []
  if (typeof result?.externalId !== 'string' || result.externalId === '')
    problems.push('publish returned no externalId')
  if (typeof result?.url !== 'string' || !/^https?:\/\//.test(result.url))
    problems.push('publish returned no absolute url')
  if (
    result?.parts !== undefined &&
    (!Array.isArray(result.parts) || result.parts.length !== input.parts.length)
  ) {
    problems.push(
      `publish returned ${String((result.parts as unknown[] | undefined)?.length)} parts for ${input.parts.length} sent`
    )
  }
  return problems
}

function draft(texts: string[], mediaPerPart = 0, mime = 'image/jpeg'): PublishDraft {
  return {
    parts: texts.map((text) => ({
      text,
      media: Array.from({ length: mediaPerPart }, () => ({ mime })),
    })),
  }
}

/**
 * `validate` is pure and follows the declared limits: same input same output, flags over-long text, too many
 * media, too many thread parts and missing required media, and accepts a short text-only draft.
 */
export function checkValidate<S>(publisher: Publisher<S>): string[] {
  const { limits } = publisher
  const mime = limits.mediaTypes[0] ?? 'image/jpeg'
  const media = limits.requiresMedia ? 1 : 0
  const problems: string[] = []
  const flags = (name: string, input: PublishDraft) => {
    const first = publisher.validate(input)
    if (JSON.stringify(first) !== JSON.stringify(publisher.validate(input))) {
      problems.push(`validate is not deterministic for ${name}`)
    }
    return first.length > 0
  }
  if (!limits.requiresMedia && flags('a short draft', draft(['Hello']))) {
    problems.push('validate flags a short text-only draft that the limits allow')
  }
  if (!flags('over-long text', draft(['a'.repeat(limits.maxChars + 1)], media, mime))) {
    problems.push(
      `validate accepts ${limits.maxChars + 1} characters (maxChars is ${limits.maxChars})`
    )
  }
  if (!flags('too many media', draft(['Hello'], limits.maxMedia + 1, mime))) {
    problems.push(`validate accepts ${limits.maxMedia + 1} media (maxMedia is ${limits.maxMedia})`)
  }
  const parts = Array.from({ length: limits.maxThreadParts + 1 }, (_, index) => `Part ${index + 1}`)
  if (!flags('too many parts', draft(parts, media, mime))) {
    problems.push(
      `validate accepts ${parts.length} parts (maxThreadParts is ${limits.maxThreadParts})`
    )
  }
  if (limits.requiresMedia && !flags('no media', draft(['Hello']))) {
    problems.push('validate accepts a draft without media although the network requires media')
  }
  return problems
}
