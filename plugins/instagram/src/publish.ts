import {
  AuthExpired,
  type FindPublishedInput,
  type FoundPost,
  isPluginError,
  Permanent,
  type PluginContext,
  type PublishInput,
  type PublishMedia,
  type PublishResult,
  Transient,
  Unknown,
} from '@herald/plugin-sdk'
import { type GraphCall, graphRequest as metaGraphRequest, TIMEOUTS } from '@herald/meta-graph'
import { validate } from './limits.js'
import { INSTAGRAM, type InstagramSettings, resolveSettings } from './settings.js'

/** One Graph call with Instagram's messages and error rules. */
function graphRequest<T>(ctx: PluginContext<InstagramSettings>, call: GraphCall) {
  return metaGraphRequest<T>(ctx, call, INSTAGRAM)
}

/** Pauses between container status reads, in ms (the last one repeats). */
export const POLL_DELAYS_MS = [200, 400, 800, 1500, 3000, 5000]

type Ctx = PluginContext<InstagramSettings>

function tokenOf(input: { tokens?: { accessToken?: string } }): string {
  const token = input.tokens?.accessToken
  if (typeof token !== 'string' || token === '')
    throw new AuthExpired('The Instagram account has no access token; reconnect it.')
  return token
}

function igUserIdOf(externalId: string): string {
  if (!/^\d+$/.test(externalId)) {
    throw new Permanent(
      `"${externalId}" is not an Instagram business account id; reconnect the account.`,
      { code: 'invalid_account' }
    )
  }
  return externalId
}

function profileUrl(handle: string): string {
  return /^[A-Za-z0-9._]+$/.test(handle) && !/^\d+$/.test(handle)
    ? `https://www.instagram.com/${handle}/`
    : 'https://www.instagram.com/'
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** Creates one media container (invisible until published, so its failures are never Unknown). */
async function createContainer(
  ctx: Ctx,
  igUserId: string,
  token: string,
  params: Record<string, string>
): Promise<string> {
  const { data } = await graphRequest<{ id?: string }>(ctx, {
    method: 'POST',
    path: `/${igUserId}/media`,
    params,
    accessToken: token,
    step: 'upload',
    timeoutMs: TIMEOUTS.create,
  })
  if (!data?.id)
    throw new Transient('Instagram created a media container without an id; try again.')
  return data.id
}

/** Plain words for a container's ERROR `status`. */
function containerFailure(
  status: string | undefined,
  name: string,
  media?: PublishMedia
): Permanent {
  const words = (status ?? '').replace(/^Error:\s*/i, '').trim()
  if (/2207052|download/i.test(words)) {
    return new Permanent(
      `Instagram could not download ${name}${media ? ` from ${new URL(media.url).host}` : ''}: the image URL must be publicly reachable from the internet (not localhost or a private address).`,
      { code: 'media_fetch_failed', ...(words ? { platformMessage: words } : {}) }
    )
  }
  return new Permanent(`Instagram could not process ${name}${words ? `: ${words}` : ''}.`, {
    code: 'container_error',
    ...(words ? { platformMessage: words } : {}),
  })
}

/**
 * Polls `GET /{container-id}?fields=status_code,status` until FINISHED. ERROR and EXPIRED are Permanent with
 * Instagram's reason; a container still IN_PROGRESS at the deadline is Transient (nothing was published).
 */
async function waitForContainer(
  ctx: Ctx,
  id: string,
  token: string,
  deadline: number,
  name: string,
  media?: PublishMedia
): Promise<void> {
  for (let round = 0; ; round++) {
    const { data } = await graphRequest<{ status_code?: string; status?: string }>(ctx, {
      method: 'GET',
      path: `/${id}`,
      params: { fields: 'status_code,status' },
      accessToken: token,
      step: 'read',
      timeoutMs: TIMEOUTS.read,
    })
    const code = data?.status_code
    if (code === 'FINISHED') return
    if (code === 'PUBLISHED')
      throw new Permanent(`${name} was already published by an earlier attempt.`, {
        code: 'already_published',
      })
    if (code === 'ERROR') throw containerFailure(data?.status, name, media)
    if (code === 'EXPIRED') {
      throw new Permanent(
        `Instagram's container for ${name} expired (containers last 24 hours); publish again.`,
        { code: 'container_expired' }
      )
    }
    const pause = POLL_DELAYS_MS[Math.min(round, POLL_DELAYS_MS.length - 1)]
    if (Date.now() + pause > deadline) {
      throw new Transient(
        `Instagram was still processing ${name} (status ${code ?? 'unknown'}) when Herald stopped waiting; nothing was published, try again.`
      )
    }
    await sleep(pause, ctx.signal)
  }
}

/**
 * Publishes an image or a carousel: container(s) with the public `image_url` (Meta downloads it), status
 * polling until FINISHED (bounded by the `containerTimeoutSeconds` setting), then `POST /{ig-user-id}/
 * media_publish` with `creation_id`, the only creating request. The permalink read afterwards is
 * best-effort: the post is live even when it fails.
 */
export async function publish(ctx: Ctx, input: PublishInput): Promise<PublishResult> {
  ctx.signal.throwIfAborted()
  const done = input.resumeFrom?.[0]
  if (done) {
    const url = done.url ?? profileUrl(input.account.handle)
    return { externalId: done.externalId, url, parts: [{ externalId: done.externalId, url }] }
  }
  const settings = resolveSettings(ctx.settings)
  const token = tokenOf(input)
  const igUserId = igUserIdOf(input.account.externalId)
  const issues = validate({
    parts: input.parts.map((part) => ({ text: part.text, media: part.media })),
  })
  if (issues.length > 0) {
    throw new Permanent(
      `Instagram would refuse this post: ${issues.map((issue) => issue.message).join(' ')}`,
      { code: 'invalid_draft' }
    )
  }
  const [part] = input.parts
  const deadline = Date.now() + settings.containerTimeoutMs
  let creationId: string
  if (part.media.length === 1) {
    const [media] = part.media
    const params: Record<string, string> = { image_url: media.url, caption: part.text }
    if (media.altText?.trim()) params.alt_text = media.altText.trim()
    creationId = await createContainer(ctx, igUserId, token, params)
    await waitForContainer(ctx, creationId, token, deadline, 'the image', media)
  } else {
    const children: string[] = []
    for (const [position, media] of part.media.entries()) {
      const params: Record<string, string> = { image_url: media.url, is_carousel_item: 'true' }
      if (media.altText?.trim()) params.alt_text = media.altText.trim()
      const id = await createContainer(ctx, igUserId, token, params)
      await waitForContainer(ctx, id, token, deadline, `image ${position + 1}`, media)
      children.push(id)
    }
    creationId = await createContainer(ctx, igUserId, token, {
      media_type: 'CAROUSEL',
      children: children.join(','),
      caption: part.text,
    })
    await waitForContainer(ctx, creationId, token, deadline, 'the carousel')
  }
  ctx.logger.info({ igUserId, images: part.media.length }, 'instagram: publishing container')
  await input.beforeCreate?.()
  const { data } = await graphRequest<{ id?: string }>(ctx, {
    method: 'POST',
    path: `/${igUserId}/media_publish`,
    params: { creation_id: creationId },
    accessToken: token,
    step: 'create',
    timeoutMs: TIMEOUTS.create,
  })
  if (!data?.id)
    throw new Unknown(
      'Instagram answered media_publish without a media id; the post may exist, check the account.'
    )
  let url = profileUrl(input.account.handle)
  try {
    const answer = await graphRequest<{ permalink?: string }>(ctx, {
      method: 'GET',
      path: `/${data.id}`,
      params: { fields: 'permalink' },
      accessToken: token,
      step: 'read',
      timeoutMs: TIMEOUTS.read,
    })
    if (answer.data?.permalink && URL.canParse(answer.data.permalink)) url = answer.data.permalink
  } catch (error) {
    if (!isPluginError(error)) throw error
    ctx.logger.warn({ kind: error.kind }, 'instagram: permalink read failed; the post is live')
  }
  return { externalId: data.id, url, parts: [{ externalId: data.id, url }] }
}

interface MediaEntry {
  id?: string
  caption?: string
  permalink?: string
  timestamp?: string
}

/** Looks for a media with the same caption published since `after`: `GET /{ig-user-id}/media` (read-only). */
export async function findPublished(
  ctx: Ctx,
  input: FindPublishedInput
): Promise<FoundPost | null> {
  ctx.signal.throwIfAborted()
  const igUserId = igUserIdOf(input.account.externalId)
  const { data } = await graphRequest<{ data?: MediaEntry[] }>(ctx, {
    method: 'GET',
    path: `/${igUserId}/media`,
    params: { fields: 'id,caption,permalink,timestamp', limit: '25' },
    accessToken: tokenOf(input),
    step: 'read',
    timeoutMs: TIMEOUTS.read,
  })
  const wanted = input.text.trim()
  const match = (data?.data ?? []).find((entry) => {
    const at = entry.timestamp ? Date.parse(entry.timestamp.replace(/\+0000$/, 'Z')) : Number.NaN
    return (
      entry.id &&
      (entry.caption ?? '').trim() === wanted &&
      !Number.isNaN(at) &&
      at >= input.after.getTime() - 60_000
    )
  })
  if (!match?.id) return null
  return { externalId: match.id, url: match.permalink ?? profileUrl(input.account.handle) }
}
