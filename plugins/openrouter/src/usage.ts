import type { ImageUsage, TextUsage } from '@herald/plugin-sdk'
import type { WireUsage } from './wire.js'

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0
}

function amount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined
}

/**
 * What the call cost in USD, as OpenRouter reports it (`usage.cost`, present with usage accounting). With
 * BYOK (`is_byok`) `cost` is only OpenRouter's fee and the provider bills the rest to the account's own key,
 * so the upstream cost is added: the ledger shows what the generation really cost. Undefined when the
 * response reports no cost; the host then prices the call from `listModels`.
 */
export function costOf(usage: WireUsage | null | undefined): number | undefined {
  const cost = amount(usage?.cost)
  if (cost === undefined) return undefined
  const upstream = usage?.is_byok ? amount(usage.cost_details?.upstream_inference_cost) : undefined
  return upstream === undefined ? cost : cost + upstream
}

/** `usage` of a completion as the SDK's {@link TextUsage}. */
export function textUsage(usage: WireUsage | null | undefined): TextUsage {
  const result: TextUsage = {
    inputTokens: count(usage?.prompt_tokens),
    outputTokens: count(usage?.completion_tokens),
  }
  const cost = costOf(usage)
  if (cost !== undefined) result.costUsd = cost
  return result
}

/** `usage` of an image generation as the SDK's {@link ImageUsage}. */
export function imageUsage(usage: WireUsage | null | undefined): ImageUsage {
  const cost = costOf(usage)
  return cost === undefined ? {} : { costUsd: cost }
}
