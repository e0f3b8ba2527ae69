import { DateTime } from 'luxon'
import type Generation from '#models/generation'

export interface GenerationOutcome {
  status: 'succeeded' | 'failed' | 'cancelled' | 'refused'
  outputText?: string | null
  mediaAssetId?: number | null
  inputTokens?: number
  outputTokens?: number
  costUsd?: number
  error?: string | null
}

/**
 * Completes a ledger row: outcome, tokens, cost, latency (from the row's
 * start) and the error in words. Idempotent: finishing twice writes the
 * last outcome.
 */
export class FinishGeneration {
  async execute(generation: Generation, outcome: GenerationOutcome): Promise<Generation> {
    const finishedAt = DateTime.now()
    generation.merge({
      status: outcome.status,
      outputText: outcome.outputText ?? generation.outputText,
      mediaAssetId: outcome.mediaAssetId ?? generation.mediaAssetId,
      inputTokens: outcome.inputTokens ?? generation.inputTokens,
      outputTokens: outcome.outputTokens ?? generation.outputTokens,
      costUsd: outcome.costUsd ?? generation.costUsd,
      error: outcome.error ?? null,
      latencyMs: Math.max(0, Math.round(finishedAt.diff(generation.createdAt).milliseconds)),
      finishedAt,
    })
    await generation.save()
    return generation
  }
}
