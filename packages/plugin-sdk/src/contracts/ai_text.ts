import type { PluginContext } from '../context.js'
import type { PluginSettings } from '../settings.js'
import type { ModelInfo } from './models.js'

/** One chat message. */
export interface ChatMessage {
  /** Author of the message. */
  role: 'system' | 'user' | 'assistant'
  /** Plain-text content. */
  content: string
}

/** A text generation request. Cancellation comes from `ctx.signal`. */
export interface TextRequest {
  /** Model id from `listModels`. */
  model: string
  /** Conversation, oldest first. */
  messages: ChatMessage[]
  /** Upper bound on generated tokens. */
  maxTokens?: number
  /** Sampling temperature (0 = deterministic). */
  temperature?: number
}

/** Token usage and cost of one generation. */
export interface TextUsage {
  /** Prompt tokens. */
  inputTokens: number
  /** Generated tokens. */
  outputTokens: number
  /** Cost in US dollars when the provider reports it; otherwise the host prices from `listModels`. */
  costUsd?: number
}

/** Result of `generateText`. */
export interface TextResult {
  /** Generated text. */
  text: string
  /** Usage of this call. */
  usage: TextUsage
}

/** One item of `streamText`: text deltas, then exactly one final `usage` item. */
export type TextStreamPart = { type: 'delta'; delta: string } | { type: 'usage'; usage: TextUsage }

/** An AI text provider (`ai-text/1`). */
export interface AiTextProvider<S = PluginSettings> {
  /** Contract version literal. */
  readonly contract: 'ai-text/1'
  /** Models the configured account can use. */
  listModels(ctx: PluginContext<S>): Promise<ModelInfo[]>
  /** Generates a complete answer. */
  generateText(ctx: PluginContext<S>, request: TextRequest): Promise<TextResult>
  /** Optional: streams the answer as deltas, then usage. */
  streamText?(ctx: PluginContext<S>, request: TextRequest): AsyncIterable<TextStreamPart>
}
