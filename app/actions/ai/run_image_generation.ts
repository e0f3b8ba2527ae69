import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import type { AiImageProvider, AspectRatio, ImageResult } from '@herald/plugin-sdk'
import aiConfig from '#config/ai'
import Generation from '#models/generation'
import Workspace from '#models/workspace'
import { AiProviders } from '#ai/providers'
import { ModelCatalog } from '#ai/model_catalog'
import { describeFailure } from '#ai/failures'
import { imageCost } from '#ai/pricing'
import { withRetries } from '#ai/retry'
import { StoreMedia } from '#actions/media/store_media'
import { FinishGeneration } from '#actions/ai/finish_generation'
import { InvalidImageError, probeImage } from '#services/image_probe'

/** Alt text of a generated image until someone writes a better one */
export function altFromPrompt(prompt: string) {
  const text = prompt.replaceAll(/\s+/g, ' ').trim()
  return text.length > 240 ? `${text.slice(0, 239)}…` : text
}

/**
 * The generate_image job's work: calls the image provider (retrying a
 * provider that is down, with backoff), checks the image, stores it in the
 * media library (`source: ai`, with its prompt and model) and completes the
 * ledger row. Idempotent: a generation no longer `running` (finished, or a
 * job run again after a crash) is left as it is.
 */
@inject()
export class RunImageGeneration {
  constructor(
    private providers: AiProviders,
    private catalog: ModelCatalog,
    private storeMedia: StoreMedia
  ) {}

  async execute(generationId: number, aspectRatio: string, signal?: AbortSignal): Promise<void> {
    const generation = await Generation.find(generationId)
    if (!generation || generation.status !== 'running') return
    const workspace = await Workspace.findOrFail(generation.workspaceId)
    let attempts = 0
    try {
      const entry = this.providers.find('image', generation.pluginId)
      if (!entry) {
        throw new Error(`The image provider "${generation.pluginId}" is not available any more.`)
      }
      const ctx = await this.providers.context(entry, {
        signal,
        timeoutMs: aiConfig.imageTimeoutMs,
      })
      const provider = entry.provider as AiImageProvider
      const result: ImageResult = await withRetries(
        (attempt) => {
          attempts = attempt
          return provider.generateImage(ctx, {
            model: generation.model,
            prompt: generation.prompt,
            aspectRatio: aspectRatio as AspectRatio,
          })
        },
        { ...aiConfig.retry, signal: ctx.signal }
      )
      const listed = await this.catalog.find('image', generation.pluginId, generation.model)
      const pricing = listed?.pricing
      const costUsd = imageCost(result.usage, result.images.length, pricing)
      // Bill what was generated even when the image cannot be kept.
      generation.costUsd = costUsd
      const first = result.images[0]
      const image = await probeImage(first.bytes)
      const asset = await this.storeMedia.execute({
        workspace,
        bytes: first.bytes,
        image,
        source: 'ai',
        createdById: generation.userId,
        altText: altFromPrompt(generation.prompt),
        prompt: generation.prompt,
        model: generation.model,
        signal: ctx.signal,
      })
      await new FinishGeneration().execute(generation, {
        status: 'succeeded',
        mediaAssetId: asset.id,
        outputTokens: 0,
        costUsd,
      })
    } catch (error) {
      const outcome =
        error instanceof InvalidImageError
          ? {
              status: 'failed' as const,
              message: `The model returned an image Herald cannot use: ${error.message}`,
            }
          : describeFailure(error, { timeoutMs: aiConfig.imageTimeoutMs, attempts })
      if (outcome.status === 'failed') {
        logger.info({ generationId, err: error }, 'image generation failed')
      }
      await new FinishGeneration().execute(generation, {
        status: outcome.status,
        error: outcome.message,
      })
    }
  }
}
