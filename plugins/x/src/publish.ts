import {
  AuthExpired,
  type FindPublishedInput,
  type FoundPost,
  isPluginError,
  Permanent,
  type PluginContext,
  type PublishedPart,
  type PublishInput,
  type PublishResult,
  Transient,
  Unknown,
} from '@herald/plugin-sdk'
import twitterText from 'twitter-text'
import { TIMEOUTS, xRequest } from './client.js'
import { withPublishedParts } from './errors.js'
import { validate } from './limits.js'
import { DEFAULT_UPLOAD_OPTIONS, type UploadOptions, uploadImage } from './media.js'
import { resolveSettings, type XSettings } from './settings.js'

/** Body of POST /2/tweets as Herald sends it (X rejects unknown fields). */
export interface CreateTweetBody {
  text?: string
  media?: { media_ids: string[] }
  reply?: { in_reply_to_tweet_id: string }
}

interface CreatedTweet {
  data?: { id?: string; text?: string }
}

/** Public URL of a post: `https://x.com/<handle>/status/<id>`, or `/i/web/status/<id>` without a handle. */
export function postUrl(publicUrl: string, handle: string | undefined, id: string): string {
  const clean = (handle ?? '').replace(/^@/, '').trim()
  return clean === ''
    ? `${publicUrl}/i/web/status/${id}`
    : `${publicUrl}/${encodeURIComponent(clean)}/status/${id}`
}

function accessTokenOf(input: { tokens?: { accessToken?: string } }): string {
  const token = input.tokens?.accessToken
  if (typeof token !== 'string' || token === '') {
    throw new AuthExpired('The X account has no access token; reconnect it.')
  }
  return token
}

/** Posts one tweet: the creating request. Any answer lost after it left is Unknown (see errors.ts). */
async function createTweet(
  ctx: PluginContext<XSettings>,
  accessToken: string,
  body: CreateTweetBody
): Promise<string> {
  const answer = await xRequest<CreatedTweet>(ctx, {
    method: 'POST',
    path: '/2/tweets',
    accessToken,
    body: body as Record<string, unknown>,
    step: 'create',
    timeoutMs: TIMEOUTS.create,
  })
  const id = answer.data?.data?.id
  if (typeof id !== 'string' || id === '') {
    throw new Unknown(
      `X answered HTTP ${answer.status} to the post creation without a post id; the post may exist, check the account.`
    )
  }
  return id
}

/**
 * Publishes a post, or a thread as a reply chain: each part is posted with `reply.in_reply_to_tweet_id`
 * set to the previous part's id. Images of a part are uploaded (media upload v2) just before its post.
 *
 * Resuming: `input.resumeFrom` lists parts an earlier attempt already published; publishing continues with
 * the next part, replying to the last of them, so a thread that failed at part 3 resumes at part 3 and
 * never re-posts parts 1-2. Every failure carries `publishedParts` (all parts live so far, resumed ones
 * included) so the host can pass them back as `resumeFrom`.
 */
export async function publish(
  ctx: PluginContext<XSettings>,
  input: PublishInput,
  options: UploadOptions = DEFAULT_UPLOAD_OPTIONS
): Promise<PublishResult> {
  ctx.signal.throwIfAborted()
  const settings = resolveSettings(ctx.settings)
  const accessToken = accessTokenOf(input)
  const parts = input.parts
  const done: PublishedPart[] = (input.resumeFrom ?? []).map((part) => ({
    externalId: part.externalId,
    url: part.url ?? postUrl(settings.publicUrl, input.account.handle, part.externalId),
  }))
  if (parts.length === 0) {
    throw new Permanent('There is nothing to publish: the post has no text and no image.', {
      code: 'empty',
    })
  }
  if (done.length > parts.length) {
    throw new Permanent(
      `The post has ${parts.length} parts but ${done.length} are recorded as published; check the post on X and resolve it by hand.`,
      { code: 'resume_mismatch' }
    )
  }
  if (done.length === parts.length) return resultOf(done)
  const issues = validate({ parts: parts.map((part) => ({ text: part.text, media: part.media })) })
    .filter((issue) => {
      const index = Number(issue.field.split('.')[1])
      return Number.isNaN(index) || index >= done.length
    })
    .map((issue) => issue.message)
  if (issues.length > 0) {
    throw withPublishedParts(
      new Permanent(`X would refuse this post: ${issues.join(' ')}`, { code: 'invalid_draft' }),
      done
    )
  }

  const thread = parts.length > 1
  for (let index = done.length; index < parts.length; index++) {
    const part = parts[index]
    const label = thread ? `Post ${index + 1} of ${parts.length} of the thread` : undefined
    try {
      const mediaIds: string[] = []
      for (const [position, media] of part.media.entries()) {
        const name = `Image ${position + 1}${thread ? ` of post ${index + 1}` : ''}`
        mediaIds.push(await uploadImage(ctx, accessToken, media, name, options))
      }
      const body: CreateTweetBody = {}
      if (part.text.trim() !== '') body.text = part.text
      if (mediaIds.length > 0) body.media = { media_ids: mediaIds }
      const previous = done.at(-1)
      if (previous) body.reply = { in_reply_to_tweet_id: previous.externalId }
      ctx.logger.info(
        {
          part: index + 1,
          of: parts.length,
          media: mediaIds.length,
          reply: previous !== undefined,
        },
        'x: creating post'
      )
      await input.beforeCreate?.()
      const id = await createTweet(ctx, accessToken, body)
      const published = {
        externalId: id,
        url: postUrl(settings.publicUrl, input.account.handle, id),
      }
      done.push(published)
      await input.onPartPublished?.(published, index)
      ctx.logger.info({ part: index + 1, of: parts.length, id }, 'x: post created')
    } catch (error) {
      if (isPluginError(error)) throw withPublishedParts(error, [...done], label)
      if (ctx.signal.aborted && done.length > 0) {
        // Cancelled between posts: nothing is in doubt, but the thread is half-published. The SDK has no
        // "cancelled" kind carrying progress, so this is Transient with the parts, letting the host resume.
        throw new Transient(
          `Publishing was cancelled after ${done.length} of ${parts.length} posts of the thread.`,
          { cause: ctx.signal.reason, publishedParts: [...done] }
        )
      }
      throw error
    }
  }
  return resultOf(done)
}

/** The result of a publish: the first post, and every part (all have a URL by then). */
function resultOf(done: PublishedPart[]): PublishResult {
  const [first] = done
  return { externalId: first.externalId, url: first.url ?? '', parts: done }
}

interface TimelinePage {
  data?: { id?: string; text?: string; created_at?: string }[]
  meta?: { next_token?: string }
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
}

/**
 * A text reduced to what survives X's rewriting: X escapes `&`, `<` and `>` as HTML entities in the text
 * it returns, replaces every link with a t.co link and appends a t.co link to posts with media. Links are
 * dropped, whitespace collapsed and the text NFC-normalised before comparing.
 */
export function comparable(text: string): string {
  let plain = text.replaceAll(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity)
  const urls = twitterText.extractUrlsWithIndices(plain)
  for (const url of [...urls].sort((a, b) => b.indices[0] - a.indices[0])) {
    plain = `${plain.slice(0, url.indices[0])} ${plain.slice(url.indices[1])}`
  }
  return plain.normalize('NFC').replaceAll(/\s+/g, ' ').trim()
}

/** Seconds of clock skew tolerated between Herald and X when looking for a post made after `after`. */
export const FIND_SKEW_MS = 5000
const FIND_PAGES = 3

/**
 * Looks for a post an attempt with an unknown outcome may have made: the account's own posts since `after`
 * (GET /2/users/{id}/tweets with `start_time`, newest first, up to 300), compared on their text (see
 * {@link comparable}). Returns the oldest match, the one the attempt made, or null. Read-only.
 */
export async function findPublished(
  ctx: PluginContext<XSettings>,
  input: FindPublishedInput
): Promise<FoundPost | null> {
  ctx.signal.throwIfAborted()
  const settings = resolveSettings(ctx.settings)
  const accessToken = accessTokenOf(input)
  const userId = input.account.externalId
  if (!/^\d{1,19}$/.test(userId)) {
    throw new Permanent(
      `The X account id "${userId}" is not a numeric X user id; reconnect the account.`,
      {
        code: 'invalid_account',
      }
    )
  }
  const wanted = comparable(input.text)
  const since = new Date(input.after.getTime() - FIND_SKEW_MS)
  since.setUTCMilliseconds(0)
  const matches: { id: string }[] = []
  let next: string | undefined
  for (let page = 0; page < FIND_PAGES; page++) {
    const query: Record<string, string> = {
      'max_results': '100',
      'start_time': since.toISOString().replace('.000Z', 'Z'),
      'tweet.fields': 'created_at',
      'exclude': 'retweets',
    }
    if (next) query.pagination_token = next
    const answer = await xRequest<TimelinePage>(ctx, {
      method: 'GET',
      path: `/2/users/${userId}/tweets`,
      query,
      accessToken,
      step: 'lookup',
      timeoutMs: TIMEOUTS.read,
    })
    for (const tweet of answer.data?.data ?? []) {
      if (typeof tweet.id === 'string' && typeof tweet.text === 'string') {
        if (comparable(tweet.text) === wanted) matches.push({ id: tweet.id })
      }
    }
    next = answer.data?.meta?.next_token
    if (!next) break
  }
  const oldest = matches.at(-1)
  if (!oldest) return null
  return {
    externalId: oldest.id,
    url: postUrl(settings.publicUrl, input.account.handle, oldest.id),
  }
}
