import { Permanent, type PluginContext, type PublishMedia, Transient } from '@herald/plugin-sdk'
import { TIMEOUTS, xRequest } from './client.js'
import { IMAGE_TYPES, MAX_ALT_TEXT, MAX_IMAGE_BYTES } from './limits.js'
import type { XSettings } from './settings.js'

/** Tunables of the upload; the defaults suit production, tests shrink them. */
export interface UploadOptions {
  /** Bytes per APPEND segment (X accepts up to 5 MB; default 4 MiB). */
  chunkBytes: number
  /** Longest total wait for X to process a media item, in ms (default 2 minutes). */
  maxProcessingMs: number
  /** Shortest and longest pause between STATUS checks, in ms (X suggests `check_after_secs`). */
  minPollMs: number
  maxPollMs: number
}

export const DEFAULT_UPLOAD_OPTIONS: UploadOptions = {
  chunkBytes: 4 * 1024 * 1024,
  maxProcessingMs: 120_000,
  minPollMs: 1000,
  maxPollMs: 10_000,
}

interface MediaData {
  id?: string
  media_key?: string
  processing_info?: {
    state?: 'pending' | 'in_progress' | 'failed' | 'succeeded'
    check_after_secs?: number
    error?: { code?: number; name?: string; message?: string }
  }
}

/** Waits `ms`, rejecting with the signal's reason when it aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const done = () => {
      signal.removeEventListener('abort', abort)
      resolve()
    }
    const timer = setTimeout(done, ms)
    const abort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', abort, { once: true })
  })
}

function mediaId(data: MediaData | undefined, step: string): string {
  const id = data?.id
  if (typeof id !== 'string' || !/^\d{1,19}$/.test(id)) {
    throw new Transient(`X's media ${step} answer had no media id; try again.`)
  }
  return id
}

async function readBytes(media: PublishMedia, name: string): Promise<Uint8Array> {
  try {
    return await media.read()
  } catch (error) {
    throw new Transient(`${name} could not be read from Herald's media storage; try again.`, {
      cause: error,
    })
  }
}

/**
 * Uploads one image with X's media upload v2 (dedicated chunked endpoints, what X's docs recommend for
 * OAuth 2.0 user tokens): `POST /2/media/upload/initialize` (JSON: type, size, `tweet_image` or
 * `tweet_gif`), one `POST /2/media/upload/{id}/append` per segment (multipart: `segment_index`, `media`),
 * `POST /2/media/upload/{id}/finalize`, then, when the answer carries `processing_info`, `GET
 * /2/media/upload?command=STATUS&media_id=…` until `succeeded` (honouring `check_after_secs`). Alt text goes
 * through `POST /2/media/metadata`. Every step is safe to repeat (an unused media id just expires), so
 * failures here are never Unknown. Returns the media id for `media.media_ids`.
 */
export async function uploadImage(
  ctx: PluginContext<XSettings>,
  accessToken: string,
  media: PublishMedia,
  name: string,
  options: UploadOptions = DEFAULT_UPLOAD_OPTIONS
): Promise<string> {
  const mime = media.mime.toLowerCase()
  if (!(IMAGE_TYPES as readonly string[]).includes(mime)) {
    throw new Permanent(`${name} is ${media.mime}; X accepts JPEG, PNG, WEBP and GIF images.`, {
      code: 'unsupported_media',
    })
  }
  const bytes = await readBytes(media, name)
  if (bytes.byteLength === 0) {
    throw new Permanent(`${name} is an empty file.`, { code: 'empty_media' })
  }
  if (bytes.byteLength > MAX_IMAGE_BYTES) {
    throw new Permanent(`${name} is larger than the 5 MB X accepts for images.`, {
      code: 'media_too_large',
    })
  }
  const common = { accessToken, step: 'upload' as const }
  const init = await xRequest<{ data?: MediaData }>(ctx, {
    ...common,
    method: 'POST',
    path: '/2/media/upload/initialize',
    body: {
      media_type: mime,
      total_bytes: bytes.byteLength,
      media_category: mime === 'image/gif' ? 'tweet_gif' : 'tweet_image',
      shared: false,
    },
    timeoutMs: TIMEOUTS.read,
  })
  const id = mediaId(init.data?.data, 'initialize')

  const chunk = Math.max(1, Math.floor(options.chunkBytes))
  for (let offset = 0, segment = 0; offset < bytes.byteLength; offset += chunk, segment++) {
    const form = new FormData()
    form.set('segment_index', String(segment))
    form.set(
      'media',
      new Blob([bytes.slice(offset, offset + chunk)], { type: 'application/octet-stream' }),
      'media'
    )
    await xRequest(ctx, {
      ...common,
      method: 'POST',
      path: `/2/media/upload/${id}/append`,
      body: form,
      timeoutMs: TIMEOUTS.upload,
    })
  }

  const finalized = await xRequest<{ data?: MediaData }>(ctx, {
    ...common,
    method: 'POST',
    path: `/2/media/upload/${id}/finalize`,
    timeoutMs: TIMEOUTS.read,
  })
  await waitForProcessing(ctx, accessToken, id, finalized.data?.data, name, options)

  const altText = media.altText?.trim()
  if (altText) {
    await xRequest(ctx, {
      ...common,
      method: 'POST',
      path: '/2/media/metadata',
      body: { id, metadata: { alt_text: { text: [...altText].slice(0, MAX_ALT_TEXT).join('') } } },
      timeoutMs: TIMEOUTS.read,
    })
  }
  return id
}

async function waitForProcessing(
  ctx: PluginContext<XSettings>,
  accessToken: string,
  id: string,
  initial: MediaData | undefined,
  name: string,
  options: UploadOptions
): Promise<void> {
  const started = Date.now()
  let info = initial?.processing_info
  while (info && info.state !== 'succeeded') {
    if (info.state === 'failed') {
      const reason = info.error?.message ?? info.error?.name
      throw new Permanent(
        `X could not process ${name.toLowerCase()}${reason ? `: ${reason}` : ''}. Try another file.`,
        { code: 'media_processing_failed', ...(reason ? { platformMessage: reason } : {}) }
      )
    }
    if (Date.now() - started > options.maxProcessingMs) {
      throw new Transient(`X is still processing ${name.toLowerCase()}; try again later.`)
    }
    const suggested = (info.check_after_secs ?? 1) * 1000
    await pause(Math.min(options.maxPollMs, Math.max(options.minPollMs, suggested)), ctx.signal)
    const status = await xRequest<{ data?: MediaData }>(ctx, {
      accessToken,
      step: 'upload',
      method: 'GET',
      path: '/2/media/upload',
      query: { command: 'STATUS', media_id: id },
      timeoutMs: TIMEOUTS.read,
    })
    info = status.data?.data?.processing_info
  }
}
