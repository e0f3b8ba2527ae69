import type { ImageUsage, ModelPricing, TextUsage } from '@herald/plugin-sdk'

/**
 * What a generation cost. The provider's reported cost wins; without one
 * (the provider does not report it, or the person stopped the stream before
 * the usage arrived) the call is priced from the model catalog.
 */

/** Rough tokens of a text (4 characters a token), for calls stopped before usage arrived */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4))
}

/** USD of a text call: reported, else tokens x catalog prices, else 0 */
export function textCost(usage: TextUsage, pricing?: ModelPricing): number {
  if (usage.costUsd !== undefined) return round(usage.costUsd)
  if (!pricing) return 0
  return round(
    (usage.inputTokens * pricing.inputPerMTokUsd + usage.outputTokens * pricing.outputPerMTokUsd) /
      1e6
  )
}

/** USD of an image call: reported, else images x catalog price per image, else 0 */
export function imageCost(usage: ImageUsage, images: number, pricing?: ModelPricing): number {
  if (usage.costUsd !== undefined) return round(usage.costUsd)
  return round(images * (pricing?.perImageUsd ?? 0))
}

/** The ledger keeps 6 decimals (numeric(14,6)) */
function round(value: number) {
  return Number.isFinite(value) && value > 0 ? Math.round(value * 1e6) / 1e6 : 0
}

/** "$0.0123", "$1.50", "$1,234.00": small amounts keep 4 decimals so a cent fraction shows */
export function formatUsd(value: number | null | undefined): string {
  const amount = Number(value ?? 0)
  const format = amount !== 0 && Math.abs(amount) < 1 ? CENTS_FRACTIONS : CENTS
  return `$${format.format(amount)}`
}

/** Built once: toLocaleString with options builds a new Intl.NumberFormat per call */
const CENTS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const CENTS_FRACTIONS = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 4,
  maximumFractionDigits: 4,
})

/** How a model is priced, in a few words: "$3.00 / $15.00 per M tokens", "~$0.0387 an image" */
export function describePricing(pricing: ModelPricing, kind: 'text' | 'image'): string {
  if (kind === 'image') {
    if (pricing.perImageUsd !== undefined) return `~${formatUsd(pricing.perImageUsd)} an image`
    return 'price per image not listed'
  }
  if (pricing.inputPerMTokUsd === 0 && pricing.outputPerMTokUsd === 0) return 'free'
  return `${formatUsd(pricing.inputPerMTokUsd)} in / ${formatUsd(pricing.outputPerMTokUsd)} out per M tokens`
}
