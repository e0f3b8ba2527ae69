import { setTimeout as sleep } from 'node:timers/promises'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import type { AiTextProvider, ModelPricing, TextRequest, TextUsage } from '@herald/plugin-sdk'
import aiConfig from '#config/ai'
import type Generation from '#models/generation'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import { AiProviders, type AiProviderEntry } from '#ai/providers'
import { ModelCatalog, parseModelValue } from '#ai/model_catalog'
import {
  buildTextMessages,
  FALLBACK_LIMITS,
  type TargetNetwork,
  type TextPurpose,
} from '#ai/prompts'
import { describeFailure, type FailureOutcome } from '#ai/failures'
import { estimateTokens, formatUsd, textCost } from '#ai/pricing'
import { retryDelay, withRetries } from '#ai/retry'
import { PluginRegistry } from '#plugin_host/registry'
import { AiRequestError } from '#ai/request_error'
import { StartGeneration } from '#actions/ai/start_generation'
import { FinishGeneration } from '#actions/ai/finish_generation'

export interface TextGenerationInput {
  workspace: Workspace
  user: User
  purpose: TextPurpose
  /** The person's request */
  prompt: string
  /** The post text as it is now */
  baseText: string
  /** `<pluginId>:<modelId>` */
  model: string
  /** Publisher plugin ids the post is for */
  networks: string[]
}

/** What the composer receives while a text is generated (one JSON line each) */
export type TextEvent =
  | { type: 'start'; generationId: string; model: string }
  | { type: 'delta'; text: string }
  | {
      type: 'done'
      generationId: string
      costUsd: number
      cost: string
      inputTokens: number
      outputTokens: number
      latencyMs: number
    }
  | { type: 'error'; generationId: string; status: 'failed' | 'refused'; message: string }

/**
 * AI text for the composer. `prepare()` checks the request (provider,
 * model, text to rewrite), the month's budget, and opens the ledger row;
 * the returned run then streams (or returns) the text. Pre-call refusals
 * throw AiRequestError or BudgetReachedError.
 */
@inject()
export class GenerateText {
  constructor(
    private providers: AiProviders,
    private catalog: ModelCatalog,
    private registry: PluginRegistry
  ) {}

  async prepare(input: TextGenerationInput): Promise<TextRun> {
    const availability = await this.providers.availability('text')
    if (!availability.ready) {
      throw new AiRequestError(
        'AI text generation is not set up: an admin adds the OpenRouter API key under Admin > Plugins > OpenRouter (or sets OPENROUTER_API_KEY).',
        undefined,
        409
      )
    }
    const parsed = parseModelValue(input.model)
    const entry = parsed && this.providers.find('text', parsed.pluginId)
    if (
      !parsed ||
      !entry ||
      !availability.providers.some((ready) => ready.plugin.id === entry.plugin.id)
    ) {
      throw new AiRequestError('Choose a text model from the list.', 'model')
    }
    const listed = await this.catalog.list(entry)
    const model = listed.models.find((candidate) => candidate.id === parsed.modelId)
    if (!model && !listed.error) {
      throw new AiRequestError(
        `${entry.name} does not offer the model "${parsed.modelId}". Choose one from the list.`,
        'model'
      )
    }
    const rewrites = input.purpose === 'shorten_x' || input.purpose === 'adapt_linkedin'
    if (rewrites && input.baseText.trim() === '') {
      throw new AiRequestError(
        'Write or generate the post first, then shorten or adapt it.',
        'baseText'
      )
    }
    if (!rewrites && input.prompt.trim() === '') {
      throw new AiRequestError('Say what the post should be about.', 'prompt')
    }

    const messages = buildTextMessages({
      workspace: input.workspace,
      purpose: input.purpose,
      request: input.prompt,
      baseText: input.baseText,
      networks: input.networks.map((id) => this.#network(id)),
      x: this.#network('x'),
      linkedin: this.#network('linkedin'),
    })
    const generation = await new StartGeneration().execute({
      workspace: input.workspace,
      userId: input.user.id,
      kind: 'text',
      purpose: input.purpose,
      pluginId: entry.plugin.id,
      model: parsed.modelId,
      prompt: messages.map((message) => `[${message.role}]\n${message.content}`).join('\n\n'),
    })
    const request: TextRequest = {
      model: parsed.modelId,
      messages,
      maxTokens: aiConfig.maxOutputTokens,
      temperature: 0.8,
    }
    return new TextRun(this.providers, entry, generation, request, model?.pricing)
  }

  /** A network's name and character limit, from its publisher plugin */
  #network(id: string): TargetNetwork {
    const plugin = this.registry.get(id)
    const publisher = plugin?.definition.kinds.publisher
    if (plugin && publisher) {
      return { id, name: plugin.manifest.displayName, maxChars: publisher.limits.maxChars }
    }
    const fallback = FALLBACK_LIMITS[id]
    return { id, name: fallback?.name ?? id, maxChars: fallback?.maxChars ?? 2200 }
  }
}

/** Usage and cost of what was generated */
interface Tally {
  text: string
  usage?: TextUsage
  attempts: number
}

/**
 * One text generation whose ledger row is open. `stream()` yields the text
 * as the provider writes it; `complete()` waits for all of it. Either way the
 * row is completed: succeeded, failed, refused, or cancelled (the signal was
 * aborted by the person) with what was written so far.
 */
export class TextRun {
  constructor(
    private providers: AiProviders,
    readonly entry: AiProviderEntry,
    readonly generation: Generation,
    readonly request: TextRequest,
    private pricing: ModelPricing | undefined
  ) {}

  get generationId() {
    return String(this.generation.id)
  }

  async *stream(signal: AbortSignal): AsyncGenerator<TextEvent> {
    const tally: Tally = { text: '', attempts: 0 }
    let settled = false
    yield { type: 'start', generationId: this.generationId, model: this.request.model }
    try {
      const ctx = await this.providers.context(this.entry, {
        signal,
        timeoutMs: aiConfig.textTimeoutMs,
      })
      const provider = this.entry.provider as AiTextProvider
      for (let attempt = 1; ; attempt++) {
        tally.attempts = attempt
        try {
          if (provider.streamText) {
            for await (const part of provider.streamText(ctx, this.request)) {
              if (part.type === 'usage') tally.usage = part.usage
              else if (part.delta !== '') {
                tally.text += part.delta
                yield { type: 'delta', text: part.delta }
              }
            }
          } else {
            const result = await provider.generateText(ctx, this.request)
            tally.text = result.text
            tally.usage = result.usage
            yield { type: 'delta', text: result.text }
          }
          break
        } catch (error) {
          // Only retried while nothing reached the person (a retry would repeat the words).
          if (tally.text !== '' || attempt >= aiConfig.retry.attempts || ctx.signal.aborted) {
            throw error
          }
          await this.#wait(error, attempt, ctx.signal)
        }
      }
      const done = await this.#succeed(tally)
      settled = true
      yield done
    } catch (error) {
      const outcome = await this.#fail(error, tally, signal)
      settled = true
      if (outcome.status !== 'cancelled') {
        yield {
          type: 'error',
          generationId: this.generationId,
          status: outcome.status,
          message: outcome.message,
        }
      }
    } finally {
      // The consumer went away between two words (the response closed): the person stopped it.
      if (!settled) await this.#fail(new Error('closed'), tally, signal, true)
    }
  }

  /** The whole text (no streaming); throws a FailureOutcome-described error after recording it */
  async complete(signal?: AbortSignal): Promise<{ text: string; costUsd: number }> {
    const tally: Tally = { text: '', attempts: 0 }
    try {
      const ctx = await this.providers.context(this.entry, {
        signal,
        timeoutMs: aiConfig.textTimeoutMs,
      })
      const provider = this.entry.provider as AiTextProvider
      const result = await withRetries(
        (attempt) => {
          tally.attempts = attempt
          return provider.generateText(ctx, this.request)
        },
        { ...aiConfig.retry, signal: ctx.signal }
      )
      tally.text = result.text
      tally.usage = result.usage
      const done = await this.#succeed(tally)
      return { text: tally.text, costUsd: done.costUsd }
    } catch (error) {
      const outcome = await this.#fail(error, tally, signal)
      throw new TextGenerationFailed(outcome)
    }
  }

  /** Waits before the next try, or rethrows when retrying cannot help (Permanent, long rate limit) */
  async #wait(error: unknown, attempt: number, signal: AbortSignal) {
    const delayMs = retryDelay(error, attempt, aiConfig.retry)
    if (delayMs === undefined) throw error
    await sleep(delayMs, undefined, { signal }).catch(() => {
      throw signal.reason ?? error
    })
  }

  async #succeed(tally: Tally) {
    const usage: TextUsage = tally.usage ?? {
      inputTokens: estimateTokens(this.request.messages.map((message) => message.content).join('')),
      outputTokens: estimateTokens(tally.text),
    }
    const costUsd = textCost(usage, this.pricing)
    const finished = await new FinishGeneration().execute(this.generation, {
      status: 'succeeded',
      outputText: tally.text,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costUsd,
    })
    return {
      type: 'done' as const,
      generationId: this.generationId,
      costUsd,
      cost: formatUsd(costUsd),
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      latencyMs: finished.latencyMs ?? 0,
    }
  }

  async #fail(
    error: unknown,
    tally: Tally,
    signal: AbortSignal | undefined,
    closed = false
  ): Promise<FailureOutcome> {
    const cancelled = closed || (signal?.aborted === true && signal.reason?.name !== 'TimeoutError')
    const outcome = describeFailure(error, {
      cancelled,
      timeoutMs: aiConfig.textTimeoutMs,
      attempts: tally.attempts,
    })
    if (outcome.status === 'failed' && !cancelled) {
      logger.info(
        { generationId: this.generationId, plugin: this.entry.plugin.id, err: error },
        'text generation failed'
      )
    }
    // A stopped stream has no usage: what was sent and written is estimated and priced.
    const usage: TextUsage = tally.usage ?? {
      inputTokens: tally.text
        ? estimateTokens(this.request.messages.map((message) => message.content).join(''))
        : 0,
      outputTokens: estimateTokens(tally.text),
    }
    await new FinishGeneration().execute(this.generation, {
      status: outcome.status,
      outputText: tally.text || null,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costUsd: textCost(usage, this.pricing),
      error: outcome.message,
    })
    return outcome
  }
}

/** A non-streamed generation failed; the ledger row already says so */
export class TextGenerationFailed extends Error {
  constructor(readonly outcome: FailureOutcome) {
    super(outcome.message)
    this.name = 'TextGenerationFailed'
  }
}
