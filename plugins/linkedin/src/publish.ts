import {
  AuthExpired,
  Permanent,
  type PluginContext,
  type PublishInput,
  type PublishMedia,
  type PublishResult,
  Transient,
  Unknown,
} from '@herald/plugin-sdk'
import { linkedInRequest, TIMEOUTS } from './client.js'
import { IMAGE_TYPES, MAX_ALT_TEXT, MAX_IMAGE_BYTES, validate } from './limits.js'
import { toLittleText } from './little.js'
import { FEED_URL, type LinkedInSettings, resolveSettings } from './settings.js'

/** Body of POST /rest/posts as Herald sends it. */
export interface PostBody {
  author: string
  commentary: string
  visibility: 'PUBLIC' | 'CONNECTIONS'
  distribution: {
    feedDistribution: 'MAIN_FEED'
    targetEntities: []
    thirdPartyDistributionChannels: []
  }
  lifecycleState: 'PUBLISHED'
  isReshareDisabledByAuthor: false
  content?:
    | { media: { id: string; altText?: string } }
    | { multiImage: { images: { id: string; altText?: string }[] } }
}

interface InitializeUploadAnswer {
  value?: { uploadUrl?: string; uploadUrlExpiresAt?: number; image?: string }
}

/** Public URL of a post: `https://www.linkedin.com/feed/update/<urn>`. */
export function postUrl(urn: string): string {
  return `${FEED_URL}${urn}`
}

/** The member's URN: `urn:li:person:<sub>` (the account's externalId, or its bare `sub`). */
export function authorUrn(externalId: string): string {
  return externalId.startsWith('urn:li:') ? externalId : `urn:li:person:${externalId}`
}

function accessTokenOf(input: { tokens?: { accessToken?: string } }): string {
  const token = input.tokens?.accessToken
  if (typeof token !== 'string' || token === '') {
    throw new AuthExpired('The LinkedIn account has no access token; reconnect it.')
  }
  return token
}

/**
 * The upload URL must be LinkedIn's (or the configured API/OAuth host, for tests and proxies) before the
 * member's token is sent to it.
 */
function checkUploadUrl(url: string, ctx: PluginContext<LinkedInSettings>): void {
  const settings = resolveSettings(ctx.settings)
  const trusted = new Set([new URL(settings.apiBaseUrl).host, new URL(settings.oauthBaseUrl).host])
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  const ok =
    parsed !== undefined &&
    (trusted.has(parsed.host) ||
      (parsed.protocol === 'https:' &&
        (parsed.hostname === 'linkedin.com' || parsed.hostname.endsWith('.linkedin.com'))))
  if (!ok) {
    throw new Transient(
      'LinkedIn answered initializeUpload with an upload URL outside linkedin.com; try again.'
    )
  }
}

/**
 * Uploads one image with the Images API: `POST /rest/images?action=initializeUpload` with the owner, then
 * `PUT` of the bytes to the returned `uploadUrl`. Returns the image URN (`urn:li:image:…`). Both steps are
 * safe to repeat (an unused image is never shown), so failures here are never Unknown.
 */
export async function uploadImage(
  ctx: PluginContext<LinkedInSettings>,
  accessToken: string,
  owner: string,
  media: PublishMedia,
  name: string
): Promise<string> {
  const mime = media.mime.toLowerCase()
  if (!(IMAGE_TYPES as readonly string[]).includes(mime)) {
    throw new Permanent(`${name} is ${media.mime}; LinkedIn accepts JPEG, PNG and GIF images.`, {
      code: 'unsupported_media',
    })
  }
  let bytes: Uint8Array
  try {
    bytes = await media.read()
  } catch (error) {
    throw new Transient(`${name} could not be read from Herald's media storage; try again.`, {
      cause: error,
    })
  }
  if (bytes.byteLength === 0)
    throw new Permanent(`${name} is an empty file.`, { code: 'empty_media' })
  if (bytes.byteLength > MAX_IMAGE_BYTES) {
    throw new Permanent(`${name} is larger than the 8 MB LinkedIn accepts.`, {
      code: 'media_too_large',
    })
  }
  const init = await linkedInRequest<InitializeUploadAnswer>(ctx, {
    method: 'POST',
    base: 'api',
    path: '/rest/images',
    query: { action: 'initializeUpload' },
    accessToken,
    body: { initializeUploadRequest: { owner } },
    step: 'upload',
    timeoutMs: TIMEOUTS.read,
  })
  const uploadUrl = init.data?.value?.uploadUrl
  const image = init.data?.value?.image
  if (
    typeof uploadUrl !== 'string' ||
    typeof image !== 'string' ||
    !image.startsWith('urn:li:image:')
  ) {
    throw new Transient(
      'LinkedIn answered initializeUpload without an upload URL or image URN; try again.'
    )
  }
  checkUploadUrl(uploadUrl, ctx)
  await linkedInRequest(ctx, {
    method: 'PUT',
    base: 'upload',
    path: uploadUrl,
    accessToken,
    headers: { 'content-type': mime },
    body: bytes,
    step: 'upload',
    timeoutMs: TIMEOUTS.upload,
  })
  return image
}

function contentOf(images: { id: string; altText?: string }[]): PostBody['content'] {
  if (images.length === 0) return undefined
  if (images.length === 1) return { media: images[0] }
  return { multiImage: { images } }
}

/**
 * Publishes a member post: images through the Images API first, then `POST /rest/posts` (the creating
 * request) with `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0`. LinkedIn answers 201 with an
 * empty body; the post's URN is the `x-restli-id` header. The commentary is escaped for LinkedIn's little
 * text format so no reserved character cuts the text.
 */
export async function publish(
  ctx: PluginContext<LinkedInSettings>,
  input: PublishInput
): Promise<PublishResult> {
  ctx.signal.throwIfAborted()
  const settings = resolveSettings(ctx.settings)
  const accessToken = accessTokenOf(input)
  const done = input.resumeFrom?.[0]
  if (done) {
    // An earlier attempt published the (only) part: nothing is left to do.
    const url = done.url ?? postUrl(done.externalId)
    return { externalId: done.externalId, url, parts: [{ externalId: done.externalId, url }] }
  }
  const issues = validate({
    parts: input.parts.map((part) => ({ text: part.text, media: part.media })),
  })
  if (issues.length > 0) {
    throw new Permanent(
      `LinkedIn would refuse this post: ${issues.map((issue) => issue.message).join(' ')}`,
      {
        code: 'invalid_draft',
      }
    )
  }
  const [part] = input.parts
  const author = authorUrn(input.account.externalId)
  const images: { id: string; altText?: string }[] = []
  for (const [position, media] of part.media.entries()) {
    const id = await uploadImage(ctx, accessToken, author, media, `Image ${position + 1}`)
    const altText = media.altText?.trim()
    images.push(altText ? { id, altText: [...altText].slice(0, MAX_ALT_TEXT).join('') } : { id })
  }
  const body: PostBody = {
    author,
    commentary: toLittleText(part.text),
    visibility: settings.visibility,
    distribution: {
      feedDistribution: 'MAIN_FEED',
      targetEntities: [],
      thirdPartyDistributionChannels: [],
    },
    lifecycleState: 'PUBLISHED',
    isReshareDisabledByAuthor: false,
  }
  const content = contentOf(images)
  if (content) body.content = content
  ctx.logger.info({ images: images.length }, 'linkedin: creating post')
  await input.beforeCreate?.()
  const answer = await linkedInRequest(ctx, {
    method: 'POST',
    base: 'api',
    path: '/rest/posts',
    accessToken,
    body: body as unknown as Record<string, unknown>,
    step: 'create',
    timeoutMs: TIMEOUTS.create,
  })
  const header = answer.headers.get('x-restli-id') ?? answer.headers.get('x-linkedin-id')
  const urn = header ? decodeURIComponent(header.trim()) : ''
  if (!urn.startsWith('urn:li:')) {
    throw new Unknown(
      `LinkedIn answered HTTP ${answer.status} to the post creation without the post id (x-restli-id); the post probably exists, check the profile.`
    )
  }
  ctx.logger.info({ urn }, 'linkedin: post created')
  const url = postUrl(urn)
  return { externalId: urn, url, parts: [{ externalId: urn, url }] }
}
