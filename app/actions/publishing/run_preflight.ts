import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { appUrl } from '#config/app'
import publishingConfig from '#config/publishing'
import MediaAsset from '#models/media_asset'
import { Publishers, type PublisherEntry } from '#plugin_host/publishers'
import type { ContentPart } from '#publishing/content'
import { isPublicUrl } from '#publishing/public_host'
import { isOwnMediaUrl, planFor, PrepareMedia, VariantFailed } from '#publishing/prepare_media'
import type { PreflightIssue } from '#publishing/preflight_types'

/** States whose targets still have to go out (held: once approved) */
const CHECKED_STATES = ['scheduled', 'queued', 'retrying', 'held']

/** A token this close to the post's time counts as expiring before it (the publish takes a while) */
const TOKEN_MARGIN_MS = 5 * 60_000

interface TargetRow {
  id: number
  plugin_id: string
  due_at: Date | null
  override_parts: ContentPart[] | null
  base_text: string
  media_ids: number[]
  workspace_id: number
  timezone: string
  account_id: number
  handle: string
  display_name: string
  token_expires_at: Date | null
  scopes: string[] | null
  has_refresh_token: boolean
}

/**
 * The pre-flight checks of targets (issue 8, docs/architecture.md §8.12),
 * stored on `post_targets.preflight` with `preflight_checked_at`. Run when a
 * post is scheduled (compose, reschedule, approve, retry, a reconnect) and by
 * the reconciler in the last `preflightLeadMs` before a target's time. The
 * claim refuses a target with a blocking issue: it settles with the reason
 * (needs_reconnect for token and scope issues, failed otherwise) and is not
 * sent. Never throws: a check that cannot run is logged and skipped.
 */
@inject()
export class RunPreflight {
  constructor(
    private publishers: Publishers,
    private media: PrepareMedia
  ) {}

  async execute(targetIds: readonly number[]): Promise<Map<number, PreflightIssue[]>> {
    const results = new Map<number, PreflightIssue[]>()
    if (targetIds.length === 0) return results
    try {
      const rows = await this.#load(targetIds)
      for (const row of rows) {
        const issues = await this.#check(row)
        await db
          .from('post_targets')
          .where('id', row.id)
          .update({ preflight: JSON.stringify(issues), preflight_checked_at: new Date() })
        results.set(row.id, issues)
      }
    } catch (error) {
      logger.error({ err: error, targetIds }, 'pre-flight checks could not run')
    }
    return results
  }

  /** The waiting targets of an account (after a reconnect) */
  async forAccount(accountId: number) {
    const rows = await db
      .from('post_targets')
      .where('social_account_id', accountId)
      .whereIn('status', CHECKED_STATES)
      .select('id')
    return this.execute(rows.map((row) => row.id))
  }

  async #load(targetIds: readonly number[]): Promise<TargetRow[]> {
    const result = await db.rawQuery(
      `SELECT t.id, t.plugin_id, t.due_at, t.override_parts, p.base_text,
              COALESCE((SELECT json_agg(media_asset_id ORDER BY position) FROM post_media
                         WHERE post_id = p.id), '[]') AS media_ids,
              t.workspace_id, w.timezone, a.id AS account_id, a.handle, a.display_name,
              a.token_expires_at, a.scopes, (s.refresh_token IS NOT NULL) AS has_refresh_token
         FROM post_targets t
         JOIN posts p ON p.id = t.post_id
         JOIN workspaces w ON w.id = t.workspace_id
         JOIN social_accounts a ON a.id = t.social_account_id
         LEFT JOIN account_secrets s ON s.social_account_id = a.id
        WHERE t.id = ANY(?::int[]) AND t.status = ANY(?::text[])
        ORDER BY t.id`,
      [`{${targetIds.join(',')}}`, `{${CHECKED_STATES.join(',')}}`]
    )
    return result.rows
  }

  async #check(row: TargetRow): Promise<PreflightIssue[]> {
    const entry = this.publishers.find(row.plugin_id)
    if (!entry) return []
    const network = entry.plugin.manifest.displayName
    const issues: PreflightIssue[] = []
    const token = tokenIssue(row, entry, network)
    if (token) issues.push(token)
    const scopes = scopeIssue(row, entry, network)
    if (scopes) issues.push(scopes)
    issues.push(...(await this.#mediaIssues(row, entry, network)))
    const quota = await quotaIssue(row, entry, network)
    if (quota) issues.push(quota)
    return issues
  }

  /** Images the network downloads from a private address, or that cannot be converted */
  async #mediaIssues(row: TargetRow, entry: PublisherEntry, network: string) {
    const parts =
      row.override_parts && row.override_parts.length > 0
        ? row.override_parts
        : [{ text: row.base_text, mediaIds: row.media_ids }]
    const ids = [...new Set(parts.flatMap((part) => part.mediaIds))]
    if (ids.length === 0) return []
    const assets = await MediaAsset.query()
      .where('workspace_id', row.workspace_id)
      .whereIn('id', ids)
    const byId = new Map(assets.map((asset) => [asset.id, asset]))
    const issues: PreflightIssue[] = []
    const limits = entry.publisher.limits

    // What the network downloads: Herald's own files as signed URLs on APP_URL, others as stored.
    const unreachable = assets
      .map((asset) => (isOwnMediaUrl(asset.url) ? appUrl : asset.url))
      .find((url) => !isPublicUrl(url))
    if (limits.mediaDelivery === 'url' && unreachable && !publishingConfig.mediaUrlReachable) {
      issues.push({
        code: 'media_unreachable',
        blocking: true,
        message: `${network} downloads the images from ${URL.canParse(unreachable) ? new URL(unreachable).host : 'an address'}, which cannot be reached from the internet. Set APP_URL to Herald's public address (or store media on Cloudinary), then retry.`,
      })
    }

    for (const [position, id] of ids.entries()) {
      const asset = byId.get(id)
      if (!asset) continue
      const plan = planFor(asset, limits)
      if (!plan.variant) continue
      const what = plan.mime === 'image/jpeg' ? 'a JPEG' : plan.mime.replace('image/', '')
      try {
        await this.media.variant(asset, plan)
      } catch (error) {
        if (error instanceof VariantFailed) {
          issues.push({
            code: 'media_unconvertible',
            blocking: true,
            message: `Image ${position + 1} cannot be turned into ${what} for ${network}: Herald could not read it as an image. Replace it with a JPEG.`,
          })
        } else {
          logger.warn({ err: error, assetId: asset.id }, 'pre-flight: could not prepare an image')
          issues.push({
            code: 'media_unchecked',
            blocking: false,
            message: `Herald could not prepare image ${position + 1} for ${network} yet (the media storage did not answer); it tries again when the post goes out.`,
          })
        }
      }
    }
    return issues
  }
}

function when(date: Date, timezone: string) {
  return DateTime.fromJSDate(date).setZone(timezone).toFormat("d LLL yyyy 'at' HH:mm")
}

/** The token expires before the post's time and cannot be renewed without a person */
function tokenIssue(
  row: TargetRow,
  entry: PublisherEntry,
  network: string
): PreflightIssue | undefined {
  if (!row.token_expires_at) return undefined
  const dueAt = row.due_at ?? new Date()
  if (row.token_expires_at.getTime() > dueAt.getTime() + TOKEN_MARGIN_MS) return undefined
  if (entry.publisher.refresh && row.has_refresh_token) return undefined
  const expired = row.token_expires_at.getTime() <= Date.now()
  return {
    code: 'token_expires',
    blocking: true,
    message: expired
      ? `The ${network} connection of ${row.display_name} expired on ${when(row.token_expires_at, row.timezone)} and cannot be renewed automatically. Reconnect the account on the Accounts page.`
      : `The ${network} connection of ${row.display_name} expires on ${when(row.token_expires_at, row.timezone)}, before this post's time, and cannot be renewed automatically. Reconnect the account before then.`,
  }
}

/** The account was connected without a permission publishing needs */
function scopeIssue(
  row: TargetRow,
  entry: PublisherEntry,
  network: string
): PreflightIssue | undefined {
  const needed = entry.publisher.oauth.publishScopes ?? []
  // No scopes recorded: unknown, not missing.
  if (needed.length === 0 || !row.scopes || row.scopes.length === 0) return undefined
  const missing = needed.filter((scope) => !row.scopes!.includes(scope))
  if (missing.length === 0) return undefined
  return {
    code: 'scopes_missing',
    blocking: true,
    message: `${row.display_name} was connected to ${network} without the permission${missing.length > 1 ? 's' : ''} publishing needs (${missing.join(', ')}). Reconnect it on the Accounts page and allow ${missing.length > 1 ? 'them' : 'it'}.`,
  }
}

/**
 * The account's posts (each part of a thread counts) published or due in
 * the 24 hours up to this one's time reach the network's entry-tier limit
 * (X free tier): a warning, the network may refuse it until the window passes.
 */
async function quotaIssue(
  row: TargetRow,
  entry: PublisherEntry,
  network: string
): Promise<PreflightIssue | undefined> {
  const limit = entry.publisher.limits.postsPer24Hours
  if (!limit) return undefined
  const dueAt = row.due_at ?? new Date()
  const from = new Date(dueAt.getTime() - 24 * 3_600_000)
  const result = await db.rawQuery(
    `SELECT COALESCE(SUM(GREATEST(COALESCE(jsonb_array_length(override_parts), 0), 1)), 0)::int AS posts
       FROM post_targets
      WHERE social_account_id = ?
        AND ((status = 'published' AND published_at > ? AND published_at <= ?)
          OR (status IN ('scheduled', 'queued', 'publishing', 'retrying') AND due_at > ? AND due_at <= ?)
          OR id = ?)`,
    [row.account_id, from, dueAt, from, dueAt, row.id]
  )
  const posts = Number(result.rows[0]?.posts ?? 0)
  if (posts <= limit) return undefined
  return {
    code: 'quota',
    blocking: false,
    message: `This is post ${posts} of ${row.display_name} in the 24 hours up to its time; ${network}'s free tier allows about ${limit}. ${network} may refuse it until the window passes (Herald then waits and retries).`,
  }
}
