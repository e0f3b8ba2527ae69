import { definePlugin, type PluginDefinition } from '@herald/plugin-sdk'
import { generateImage } from './image.js'
import { DEFAULT_MAX_IMAGE_BYTES } from './image_bytes.js'
import {
  DEFAULT_MODEL_CACHE_MS,
  isImageModel,
  isTextModel,
  ModelCatalog,
  toModelInfo,
} from './models.js'
import type { OpenRouterSettings } from './settings.js'
import { streamText } from './stream.js'
import { generateText } from './text.js'

export type { OpenRouterSettings } from './settings.js'

/** Options of {@link createOpenRouterPlugin}; the defaults suit production. */
export interface OpenRouterPluginOptions {
  /** How long the model list is reused, in ms (default 10 minutes). */
  modelCacheMs?: number
  /** Largest image accepted from a model, decoded (default 20 MiB). */
  maxImageBytes?: number
}

/** Builds the plugin; each instance has its own model cache. */
export function createOpenRouterPlugin(
  options: OpenRouterPluginOptions = {}
): PluginDefinition<OpenRouterSettings> {
  const catalog = new ModelCatalog(options.modelCacheMs ?? DEFAULT_MODEL_CACHE_MS)
  const imageOptions = { catalog, maxImageBytes: options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES }
  return definePlugin<OpenRouterSettings>({
    id: 'openrouter',
    kinds: {
      'ai-text': {
        contract: 'ai-text/1',
        async listModels(ctx) {
          const models = await catalog.get(ctx)
          return models.filter(isTextModel).map(toModelInfo)
        },
        generateText,
        streamText,
      },
      'ai-image': {
        contract: 'ai-image/1',
        async listModels(ctx) {
          const models = await catalog.get(ctx)
          return models.filter(isImageModel).map(toModelInfo)
        },
        generateImage: (ctx, request) => generateImage(ctx, request, imageOptions),
      },
    },
  })
}

export default createOpenRouterPlugin()
