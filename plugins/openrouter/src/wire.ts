/**
 * OpenRouter's wire shapes, as far as this plugin reads them. Every field is optional: responses are parsed
 * defensively and a missing field is handled where it is read.
 */

/** `{ error: { code, message, metadata } }`, the envelope of every error (HTTP or in-body). */
export interface WireError {
  /** Equal to the HTTP status (a number); in-body errors carry the status they stand for. */
  code?: number | string
  message?: string
  metadata?: Record<string, unknown>
}

/** `usage` of a completion, with `usage: { include: true }` (usage accounting). */
export interface WireUsage {
  prompt_tokens?: number
  completion_tokens?: number
  total_tokens?: number
  /** Credits (USD) OpenRouter charged for the call. */
  cost?: number | null
  /** The call ran on the account's own provider key; `cost` is then only OpenRouter's fee. */
  is_byok?: boolean
  cost_details?: { upstream_inference_cost?: number | null } | null
}

/** One generated image on the assistant message (or a stream delta). */
export interface WireImage {
  type?: string
  image_url?: { url?: string }
}

/** Assistant message (non-streaming) or delta (streaming). */
export interface WireMessage {
  role?: string
  content?: string | null | { type?: string; text?: string }[]
  images?: WireImage[]
  refusal?: string | null
}

export interface WireChoice {
  index?: number
  finish_reason?: string | null
  message?: WireMessage
  delta?: WireMessage
  error?: WireError
}

/** A chat completion, or one chunk of a streamed one. */
export interface WireCompletion {
  id?: string
  model?: string
  choices?: WireChoice[]
  usage?: WireUsage | null
  error?: WireError
}

/** One entry of `GET /models`. */
export interface WireModel {
  id?: string
  name?: string
  context_length?: number | null
  architecture?: {
    modality?: string
    input_modalities?: string[]
    output_modalities?: string[]
  }
  /** Decimal strings in USD per token (per image or request for those keys). */
  pricing?: Record<string, unknown>
}
