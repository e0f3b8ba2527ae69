import { v2 as cloudinary } from 'cloudinary'
import {
  classifyHttpFailure,
  classifyTransportError,
  definePlugin,
  Permanent,
  platformMessageOf,
  RateLimited,
  type MediaStorage,
  type PluginContext,
} from '@herald/plugin-sdk'

/** Settings of the Cloudinary storage. */
export type CloudinarySettings = {
  cloudName: string
  apiKey: string
  apiSecret: string
  folder?: string
  signatureAlgorithm?: 'sha1' | 'sha256'
  /** Upload API origin (`upload_prefix` in Cloudinary's SDK); tests point it at a fake. */
  apiBaseUrl: string
}

type ResourceType = 'image' | 'video' | 'raw'
type Ctx = PluginContext<CloudinarySettings>

/** What Cloudinary answers to an upload (the fields used here). */
interface UploadResponse {
  public_id: string
  resource_type: ResourceType
  secure_url: string
  width?: number
  height?: number
}

function resourceTypeOf(mime: string): ResourceType {
  if (mime.startsWith('image/')) return 'image'
  if (mime.startsWith('video/')) return 'video'
  return 'raw'
}

/** Keys this plugin returns: `<resource type>/<public id>`. */
function parseKey(key: string): { resourceType: ResourceType; publicId: string } {
  const match = /^(image|video|raw)\/(.+)$/.exec(key)
  if (!match) {
    throw new Permanent('This Cloudinary file reference is not valid.', {
      code: 'bad_key',
      platformMessage: `expected <image|video|raw>/<public id>, got ${JSON.stringify(key.slice(0, 80))}`,
    })
  }
  return { resourceType: match[1] as ResourceType, publicId: match[2] }
}

/** The public id for a host key: the folder, then the key (without extension for images and videos). */
function publicIdFor(settings: CloudinarySettings, key: string, resourceType: ResourceType) {
  const name = resourceType === 'raw' ? key : key.replace(/\.[A-Za-z0-9]+$/, '')
  const folder = (settings.folder ?? '').replace(/^\/+|\/+$/g, '')
  return folder ? `${folder}/${name}` : name
}

/**
 * Cloudinary's own request signing. Its typings omit the algorithm and version parameters; both are
 * passed so nothing falls back to the SDK's process-wide configuration.
 */
const signRequest = cloudinary.utils.api_sign_request as unknown as (
  params: Record<string, string>,
  secret: string,
  algorithm: 'sha1' | 'sha256',
  version: number
) => string

/**
 * A signed Upload API request (multipart): the parameters signed as Cloudinary's SDK does (sorted
 * `key=value` pairs joined with `&`, followed by the API secret, hashed), plus api_key and signature.
 */
async function signedCall(
  ctx: Ctx,
  action: 'upload' | 'destroy',
  resourceType: ResourceType,
  params: Record<string, string>,
  file?: { bytes: Uint8Array; mime: string; name: string }
): Promise<Record<string, unknown>> {
  const { settings } = ctx
  const signed = { ...params, timestamp: String(Math.floor(ctx.clock.now().getTime() / 1000)) }
  const signature = signRequest(
    signed,
    settings.apiSecret,
    settings.signatureAlgorithm ?? 'sha1',
    2
  )
  const form = new FormData()
  for (const [name, value] of Object.entries(signed)) form.set(name, value)
  form.set('api_key', settings.apiKey)
  form.set('signature', signature)
  if (file) {
    const blob = new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mime })
    form.set('file', blob, file.name)
  }
  const url = cloudinary.utils.api_url(action, {
    cloud_name: settings.cloudName,
    resource_type: resourceType,
    upload_prefix: settings.apiBaseUrl.replace(/\/+$/, ''),
  })

  let response
  try {
    response = await ctx.http.request({ method: 'POST', url, body: form })
  } catch (error) {
    // Uploads reuse their public id (overwrite), so a repeat after a lost response is safe.
    throw classifyTransportError(error) ?? error
  }
  const text = await response.text()
  if (response.status === 200) return JSON.parse(text) as Record<string, unknown>
  throw failure(ctx, response.status, response.headers, text)
}

/** Cloudinary answers errors as `{"error":{"message"}}` with 400, 401, 403, 404, 420, 429 or 5xx. */
function failure(ctx: Ctx, status: number, headers: Headers, body: string): Error {
  const platformMessage = platformMessageOf(body)
  if (status === 401 || status === 403) {
    return new Permanent(
      'Cloudinary refused the credentials: check the cloud name, API key and API secret on the Plugins page.',
      { code: String(status), platformMessage }
    )
  }
  if (status === 404) {
    return new Permanent(`Cloudinary does not know the cloud "${ctx.settings.cloudName}".`, {
      code: '404',
      platformMessage,
    })
  }
  if (status === 420 || status === 429) {
    // 420 is Cloudinary's own "rate limited"; its reset time comes as an HTTP date.
    const reset = Date.parse(headers.get('x-featureratelimit-reset') ?? '')
    if (!Number.isNaN(reset)) {
      return new RateLimited(new Date(reset), `Cloudinary rate limit (HTTP ${status})`)
    }
    return classifyHttpFailure(429, headers, body, { now: ctx.clock.now() })
  }
  return classifyHttpFailure(status, headers, body, { now: ctx.clock.now() })
}

const storage: MediaStorage<CloudinarySettings> = {
  contract: 'media-storage/1',

  async put(ctx, input) {
    const resourceType = resourceTypeOf(input.mime)
    const publicId = publicIdFor(ctx.settings, input.key, resourceType)
    const name = input.key.split('/').pop() ?? 'upload'
    const result = (await signedCall(
      ctx,
      'upload',
      resourceType,
      { public_id: publicId, overwrite: 'true' },
      { bytes: input.bytes, mime: input.mime, name }
    )) as unknown as UploadResponse
    ctx.logger.debug({ publicId: result.public_id, resourceType }, 'uploaded to Cloudinary')
    return {
      url: result.secure_url,
      key: `${result.resource_type}/${result.public_id}`,
      width: result.width,
      height: result.height,
    }
  },

  async delete(ctx, key) {
    const { resourceType, publicId } = parseKey(key)
    // Cloudinary answers {"result":"not found"} for a missing asset; deleting it again succeeds.
    await signedCall(ctx, 'destroy', resourceType, { public_id: publicId, invalidate: 'true' })
  },

  async publicUrl(ctx, key) {
    const { resourceType, publicId } = parseKey(key)
    return cloudinary.url(publicId, {
      cloud_name: ctx.settings.cloudName,
      resource_type: resourceType,
      type: 'upload',
      secure: true,
      urlAnalytics: false,
    })
  },
}

export default definePlugin<CloudinarySettings>({
  id: 'cloudinary',
  kinds: { 'media-storage': storage },
})
