import {
  AuthExpired,
  type FindPublishedInput,
  type FoundPost,
  Permanent,
  type PluginContext,
  type PublishInput,
  type PublishResult,
  Unknown,
} from '@herald/plugin-sdk'
import { type GraphCall, graphRequest as metaGraphRequest, TIMEOUTS } from '@herald/meta-graph'
import { validate } from './limits.js'
import { FACEBOOK, type FacebookSettings } from './settings.js'

/** One Graph call with Facebook's messages and error rules. */
function graphRequest<T>(ctx: PluginContext<FacebookSettings>, call: GraphCall) {
  return metaGraphRequest<T>(ctx, call, FACEBOOK)
}

/** Public URL of a Page post `{page-id}_{post-id}`. */
export function postUrl(id: string): string {
  return `https://www.facebook.com/${id}`
}

function tokenOf(input: { tokens?: { accessToken?: string } }): string {
  const token = input.tokens?.accessToken
  if (typeof token !== 'string' || token === '') {
    throw new AuthExpired('The Facebook Page has no access token; reconnect it.')
  }
  return token
}

function pageIdOf(externalId: string): string {
  if (!/^\d+$/.test(externalId)) {
    throw new Permanent(`"${externalId}" is not a Facebook Page id; reconnect the Page.`, {
      code: 'invalid_account',
    })
  }
  return externalId
}

/** The first http(s) link of a text, sent as `link` so Facebook shows its card. */
export function firstLink(text: string): string | undefined {
  return /https?:\/\/[^\s<>"')\]]+/i.exec(text)?.[0]?.replace(/[.,;:!?]+$/, '')
}

/**
 * Publishes to a Page with the Page token: text (and link) posts with `POST /{page-id}/feed`; one photo with
 * `POST /{page-id}/photos` (`url`, `caption`); several photos are uploaded unpublished first (invisible,
 * safe to repeat), then attached to one `/feed` post. The last request is the creating one.
 */
export async function publish(
  ctx: PluginContext<FacebookSettings>,
  input: PublishInput
): Promise<PublishResult> {
  ctx.signal.throwIfAborted()
  const done = input.resumeFrom?.[0]
  if (done) {
    const url = done.url ?? postUrl(done.externalId)
    return { externalId: done.externalId, url, parts: [{ externalId: done.externalId, url }] }
  }
  const token = tokenOf(input)
  const pageId = pageIdOf(input.account.externalId)
  const issues = validate({
    parts: input.parts.map((part) => ({ text: part.text, media: part.media })),
  })
  if (issues.length > 0) {
    throw new Permanent(
      `Facebook would refuse this post: ${issues.map((issue) => issue.message).join(' ')}`,
      { code: 'invalid_draft' }
    )
  }
  const [part] = input.parts
  let id: string | undefined
  if (part.media.length === 1) {
    await input.beforeCreate?.()
    const { data } = await graphRequest<{ id?: string; post_id?: string }>(ctx, {
      method: 'POST',
      path: `/${pageId}/photos`,
      params: { url: part.media[0].url, caption: part.text, published: 'true' },
      accessToken: token,
      step: 'create',
      timeoutMs: TIMEOUTS.create,
    })
    id = data?.post_id ?? data?.id
  } else {
    const params: Record<string, string> = { message: part.text, published: 'true' }
    if (part.media.length > 1) {
      const ids: string[] = []
      for (const media of part.media) {
        const { data } = await graphRequest<{ id?: string }>(ctx, {
          method: 'POST',
          path: `/${pageId}/photos`,
          params: { url: media.url, published: 'false' },
          accessToken: token,
          step: 'upload',
          timeoutMs: TIMEOUTS.create,
        })
        if (!data?.id)
          throw new Permanent('Facebook did not return an id for an uploaded photo.', {
            code: 'no_photo_id',
          })
        ids.push(data.id)
      }
      params.attached_media = JSON.stringify(ids.map((fbid) => ({ media_fbid: fbid })))
    } else {
      const link = firstLink(part.text)
      if (link) params.link = link
    }
    await input.beforeCreate?.()
    const { data } = await graphRequest<{ id?: string }>(ctx, {
      method: 'POST',
      path: `/${pageId}/feed`,
      params,
      accessToken: token,
      step: 'create',
      timeoutMs: TIMEOUTS.create,
    })
    id = data?.id
  }
  if (!id)
    throw new Unknown(
      'Facebook accepted the post but returned no id; check the Page before publishing again.'
    )
  ctx.logger.info({ pageId, media: part.media.length }, 'facebook: post created')
  const url = postUrl(id)
  return { externalId: id, url, parts: [{ externalId: id, url }] }
}

interface FeedEntry {
  id?: string
  message?: string
  created_time?: string
  permalink_url?: string
}

/**
 * Looks for a post an attempt with an unknown outcome made: the Page's recent posts (`GET /{page-id}/feed`
 * since `after`, read-only) with the same message.
 */
export async function findPublished(
  ctx: PluginContext<FacebookSettings>,
  input: FindPublishedInput
): Promise<FoundPost | null> {
  ctx.signal.throwIfAborted()
  const pageId = pageIdOf(input.account.externalId)
  const since = Math.floor(input.after.getTime() / 1000) - 60
  const { data } = await graphRequest<{ data?: FeedEntry[] }>(ctx, {
    method: 'GET',
    path: `/${pageId}/feed`,
    params: { fields: 'id,message,created_time,permalink_url', since: String(since), limit: '50' },
    accessToken: tokenOf(input),
    step: 'read',
    timeoutMs: TIMEOUTS.read,
  })
  const wanted = input.text.trim()
  const match = (data?.data ?? []).find((entry) => {
    const at = entry.created_time
      ? Date.parse(entry.created_time.replace(/\+0000$/, 'Z'))
      : Number.NaN
    return (
      entry.id &&
      (entry.message ?? '').trim() === wanted &&
      (Number.isNaN(at) || at >= input.after.getTime() - 60_000)
    )
  })
  if (!match?.id) return null
  return { externalId: match.id, url: match.permalink_url ?? postUrl(match.id) }
}
