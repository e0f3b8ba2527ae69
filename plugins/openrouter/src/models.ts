import type { ModelInfo, ModelPricing, PluginContext } from '@herald/plugin-sdk'
import { readJson, send, TIMEOUTS } from './client.js'
import { resolveSettings, type OpenRouterSettings } from './settings.js'
import type { WireModel } from './wire.js'

/** How long the model list is reused before it is fetched again. */
export const DEFAULT_MODEL_CACHE_MS = 10 * 60_000

/**
 * Output tokens of one generated image, used to turn a per-token `image_output` price into a per-image
 * estimate. 1290 is what Gemini 2.5 Flash Image bills for a 1024×1024 image; the real cost of each call
 * comes back in `usage.cost`, so this only feeds the price shown before generating.
 */
export const TOKENS_PER_IMAGE = 1290

/** A model of the catalog, with what Herald needs to classify and price it. */
export interface CatalogModel {
  id: string
  name: string
  contextLength?: number
  /** `architecture.output_modalities`, e.g. `['text']` or `['image', 'text']`. */
  outputModalities: string[]
  pricing: ModelPricing
}

/** USD per token as a decimal string → USD per million tokens; undefined when missing or negative. */
export function perMillion(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) return undefined
  // toPrecision drops the binary noise of the multiplication (0.00000015 * 1e6 = 0.15, not 0.1499…).
  return Number((number * 1e6).toPrecision(12))
}

/**
 * Price of one output image. OpenRouter documents `image_output` per image, but lists some models (Gemini)
 * with a per-token price there; a value below $0.001 is taken as per token and estimated with
 * {@link TOKENS_PER_IMAGE}.
 */
function perImage(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) return undefined
  const price = number < 0.001 ? number * TOKENS_PER_IMAGE : number
  return Number(price.toPrecision(12))
}

function modalities(model: WireModel): string[] {
  const listed = model.architecture?.output_modalities
  if (Array.isArray(listed))
    return listed.filter((item): item is string => typeof item === 'string')
  // Older entries only carry `modality`, e.g. `text+image->text`.
  const output = model.architecture?.modality?.split('->')[1]
  return output ? output.split('+') : ['text']
}

/**
 * One entry of `GET /models` as a catalog model, or undefined when it cannot be priced: a missing price, or
 * OpenRouter's `-1` for routers like `openrouter/auto` whose price depends on the model picked per call.
 */
export function toCatalogModel(model: WireModel): CatalogModel | undefined {
  if (typeof model.id !== 'string' || model.id === '') return undefined
  const pricing = model.pricing ?? {}
  const input = perMillion(pricing.prompt)
  const output = perMillion(pricing.completion)
  if (input === undefined || output === undefined) return undefined
  const price: ModelPricing = { inputPerMTokUsd: input, outputPerMTokUsd: output }
  const image = perImage(pricing.image_output)
  if (image !== undefined) price.perImageUsd = image
  const entry: CatalogModel = {
    id: model.id,
    name: typeof model.name === 'string' && model.name !== '' ? model.name : model.id,
    outputModalities: modalities(model),
    pricing: price,
  }
  if (typeof model.context_length === 'number' && model.context_length > 0) {
    entry.contextLength = model.context_length
  }
  return entry
}

/** A model that generates images (alone or with text). */
export function isImageModel(model: CatalogModel): boolean {
  return model.outputModalities.includes('image')
}

/** A model that writes text only: image models are offered as image models, embeddings and audio nowhere. */
export function isTextModel(model: CatalogModel): boolean {
  const outputs = model.outputModalities
  return outputs.includes('text') && outputs.every((modality) => modality === 'text')
}

/** The SDK's view of a catalog model. */
export function toModelInfo(model: CatalogModel): ModelInfo {
  const info: ModelInfo = { id: model.id, name: model.name, pricing: { ...model.pricing } }
  if (model.contextLength !== undefined) info.contextLength = model.contextLength
  return info
}

/**
 * The model catalog of `GET /models?output_modalities=text,image` (OpenRouter lists text models only unless
 * asked), kept per base URL for `ttlMs` so the composer and the image form do not wait on it every time.
 * Failures are not cached.
 */
export class ModelCatalog {
  readonly #entries = new Map<string, { at: number; models: CatalogModel[] }>()
  /** Requests in flight per base URL: concurrent asks (text and image models at once) share one. */
  readonly #pending = new Map<string, Promise<CatalogModel[]>>()

  constructor(readonly ttlMs: number = DEFAULT_MODEL_CACHE_MS) {}

  /** The catalog, from the cache when fresh. */
  async get(ctx: PluginContext<OpenRouterSettings>): Promise<CatalogModel[]> {
    const key = resolveSettings(ctx.settings).baseUrl
    const now = ctx.clock.now().getTime()
    const cached = this.#entries.get(key)
    if (cached && now - cached.at < this.ttlMs) return cached.models
    let pending = this.#pending.get(key)
    if (!pending) {
      pending = this.#fetch(ctx, key, now)
      this.#pending.set(key, pending)
      pending.finally(() => this.#pending.delete(key)).catch(() => {})
    }
    return pending
  }

  async #fetch(ctx: PluginContext<OpenRouterSettings>, key: string, now: number) {
    const call = await send(ctx, {
      method: 'GET',
      path: '/models',
      query: { output_modalities: 'text,image' },
      timeoutMs: TIMEOUTS.models,
    })
    const body = await readJson<{ data?: unknown }>(ctx, call)
    const list = Array.isArray(body.data) ? (body.data as WireModel[]) : []
    const models = list.flatMap((model) => {
      const entry = typeof model === 'object' && model !== null ? toCatalogModel(model) : undefined
      return entry ? [entry] : []
    })
    if (models.length < list.length) {
      ctx.logger.debug(
        { skipped: list.length - models.length },
        'openrouter models without a price'
      )
    }
    this.#entries.set(key, { at: now, models })
    return models
  }

  /** Forgets every cached catalog. */
  clear(): void {
    this.#entries.clear()
  }
}
