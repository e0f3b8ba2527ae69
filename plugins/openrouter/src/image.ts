import type {
  GeneratedImage,
  HttpResponse,
  ImageRequest,
  ImageResult,
  PluginContext,
} from '@herald/plugin-sdk'
import { isPluginError, Permanent, Transient } from '@herald/plugin-sdk'
import { readJson, send, throwIfInBodyError, TIMEOUTS } from './client.js'
import { mapOpenRouterError, mapTransportError, parseErrorBody, redact } from './errors.js'
import { checkSize, decodeDataUrl, validateImage } from './image_bytes.js'
import type { ModelCatalog } from './models.js'
import type { OpenRouterSettings } from './settings.js'
import { contentFiltered, contentText } from './text.js'
import { imageUsage } from './usage.js'
import type { WireCompletion, WireImage } from './wire.js'

/** Aspect ratios OpenRouter's `image_config.aspect_ratio` accepts. */
export const SUPPORTED_ASPECT_RATIOS = [
  '1:1',
  '2:3',
  '3:2',
  '3:4',
  '4:3',
  '4:5',
  '5:4',
  '9:16',
  '16:9',
  '21:9',
] as const

function ratioOf(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(value)
  if (!match) return undefined
  const ratio = Number(match[1]) / Number(match[2])
  return Number.isFinite(ratio) && ratio > 0 ? ratio : undefined
}

/** The supported ratio closest to `value` (compared on a log scale, so 2:1 and 1:2 are equally far from 1:1). */
export function closestAspectRatio(value: string): string {
  const wanted = ratioOf(value)
  if (wanted === undefined) {
    throw new Permanent(`"${value}" is not an aspect ratio; write it as width:height, e.g. 4:5.`, {
      code: 'invalid_aspect_ratio',
    })
  }
  let best: string = SUPPORTED_ASPECT_RATIOS[0]
  for (const candidate of SUPPORTED_ASPECT_RATIOS) {
    const distance = (ratio: string) => Math.abs(Math.log(ratioOf(ratio)!) - Math.log(wanted))
    if (distance(candidate) < distance(best)) best = candidate
  }
  return best
}

/** Options of image generation. */
export interface ImageOptions {
  /** Largest image accepted, decoded. */
  maxImageBytes: number
  /** Catalog used to learn which output modalities a model has. */
  catalog: ModelCatalog
}

/**
 * `modalities` for a model: image-only models (Flux…) take `["image"]`, models that write both (Gemini) take
 * `["image", "text"]`. Learnt from the cached catalog; when it cannot be read, `["image", "text"]`.
 */
async function modalitiesFor(
  ctx: PluginContext<OpenRouterSettings>,
  model: string,
  catalog: ModelCatalog
): Promise<string[]> {
  try {
    const models = await catalog.get(ctx)
    const entry = models.find((candidate) => candidate.id === model)
    if (entry?.outputModalities.includes('image')) {
      return entry.outputModalities.includes('text') ? ['image', 'text'] : ['image']
    }
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason
    ctx.logger.debug(
      { model, error: isPluginError(error) ? error.kind : 'error' },
      'openrouter catalog unavailable, assuming image+text'
    )
  }
  return ['image', 'text']
}

/** Downloads an image OpenRouter returned as a link, without the API key (the link is not OpenRouter's API). */
async function download(
  ctx: PluginContext<OpenRouterSettings>,
  url: string,
  options: ImageOptions,
  model: string
): Promise<Uint8Array> {
  let response: HttpResponse
  try {
    response = await ctx.http.request({ method: 'GET', url, timeoutMs: TIMEOUTS.imageDownload })
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason
    const mapped = mapTransportError(error, ctx.signal)
    if (mapped !== error || isPluginError(error)) throw mapped
    // The host refused the address (not in network.hosts, or private): no retry will change that.
    throw new Permanent(
      `The model "${model}" returned a link to ${new URL(url).host}, which Herald may not download from.`,
      { code: 'image_host_refused', cause: error }
    )
  }
  const length = Number(response.headers.get('content-length'))
  if (Number.isFinite(length)) checkSize(length, options.maxImageBytes, model)
  if (response.status < 200 || response.status >= 300) {
    const failure = { path: new URL(url).pathname, model, now: ctx.clock.now(), apiKey: '' }
    const body = await response.text().catch(() => '')
    const mapped = mapOpenRouterError(
      response.status,
      parseErrorBody(body),
      response.headers,
      failure
    )
    if (mapped.kind === 'Transient' || mapped.kind === 'RateLimited') throw mapped
    throw new Permanent(
      `The image link returned by "${model}" could not be downloaded (HTTP ${response.status}).`,
      { code: 'image_download_failed' }
    )
  }
  try {
    return await response.bytes()
  } catch (error) {
    throw mapTransportError(error, ctx.signal)
  }
}

async function readImage(
  ctx: PluginContext<OpenRouterSettings>,
  item: WireImage,
  options: ImageOptions,
  model: string
): Promise<GeneratedImage> {
  const url = typeof item?.image_url?.url === 'string' ? item.image_url.url.trim() : ''
  if (url.toLowerCase().startsWith('data:')) {
    const { bytes, declared } = decodeDataUrl(url, options.maxImageBytes, model)
    return { bytes, mime: validateImage(bytes, model, declared) }
  }
  if (/^https?:\/\//i.test(url) && URL.canParse(url)) {
    const bytes = await download(ctx, url, options, model)
    checkSize(bytes.length, options.maxImageBytes, model)
    return { bytes, mime: validateImage(bytes, model) }
  }
  throw new Permanent(`The model "${model}" returned an image in a form Herald cannot read.`, {
    code: 'invalid_image',
  })
}

/** `generateImage`: a chat completion with image output; images come back on `message.images[]`. */
export async function generateImage(
  ctx: PluginContext<OpenRouterSettings>,
  request: ImageRequest,
  options: ImageOptions
): Promise<ImageResult> {
  const model = typeof request.model === 'string' ? request.model.trim() : ''
  if (model === '')
    throw new Permanent('Choose an image model before generating.', { code: 'missing_model' })
  if (typeof request.prompt !== 'string' || request.prompt.trim() === '') {
    throw new Permanent('Describe the image to generate.', { code: 'missing_prompt' })
  }
  const aspectRatio = request.aspectRatio && closestAspectRatio(request.aspectRatio)
  const modalities = await modalitiesFor(ctx, model, options.catalog)
  const call = await send(ctx, {
    method: 'POST',
    path: '/chat/completions',
    body: {
      model,
      messages: [{ role: 'user', content: request.prompt }],
      modalities,
      ...(aspectRatio ? { image_config: { aspect_ratio: aspectRatio } } : {}),
      stream: false,
      usage: { include: true },
    },
    timeoutMs: TIMEOUTS.image,
    model,
  })
  const completion = await readJson<WireCompletion>(ctx, call)
  throwIfInBodyError(completion, call.failure)
  const choice = completion.choices?.[0]
  if (choice === undefined) throw new Transient('OpenRouter returned no answer; try again.')
  const filtered = contentFiltered(choice)
  if (filtered) throw filtered
  const items = Array.isArray(choice.message?.images) ? choice.message.images : []
  if (items.length === 0) {
    const said = redact(contentText(choice.message).trim(), call.settings.apiKey).slice(0, 200)
    throw new Permanent(
      `The model "${model}" returned no image${said ? ` (it answered: "${said}")` : ''}. Rephrase the prompt or choose an image model.`,
      { code: 'no_image' }
    )
  }
  const images: GeneratedImage[] = []
  for (const item of items) images.push(await readImage(ctx, item, options, model))
  return { images, usage: imageUsage(completion.usage) }
}
