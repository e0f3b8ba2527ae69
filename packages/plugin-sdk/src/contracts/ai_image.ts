import type { PluginContext } from '../context.js'
import type { PluginSettings } from '../settings.js'
import type { ModelInfo } from './models.js'

/** Aspect ratio written `width:height`, e.g. `1:1`, `4:5`, `16:9`. */
export type AspectRatio = `${number}:${number}`

/** An image generation request. Cancellation comes from `ctx.signal`. */
export interface ImageRequest {
  /** Model id from `listModels`. */
  model: string
  /** What to draw. */
  prompt: string
  /** Wanted aspect ratio; providers pick their closest supported size. */
  aspectRatio?: AspectRatio
}

/** One generated image. Plugins return bytes only; the host stores them. */
export interface GeneratedImage {
  /** Encoded image. */
  bytes: Uint8Array
  /** MIME type, e.g. `image/png`. */
  mime: string
}

/** Cost of one image generation. */
export interface ImageUsage {
  /** Cost in US dollars when the provider reports it; otherwise the host prices from `listModels`. */
  costUsd?: number
}

/** Result of `generateImage`. */
export interface ImageResult {
  /** Generated images (at least one). */
  images: GeneratedImage[]
  /** Usage of this call. */
  usage: ImageUsage
}

/** An AI image provider (`ai-image/1`). */
export interface AiImageProvider<S = PluginSettings> {
  /** Contract version literal. */
  readonly contract: 'ai-image/1'
  /** Models the configured account can use. */
  listModels(ctx: PluginContext<S>): Promise<ModelInfo[]>
  /** Generates images for a prompt. */
  generateImage(ctx: PluginContext<S>, request: ImageRequest): Promise<ImageResult>
}
