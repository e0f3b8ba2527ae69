import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { OutputInfo } from 'sharp'
import { loadSharp } from '#services/sharp'
import { Permanent, type PublisherLimits, type PublishMedia } from '@herald/plugin-sdk'
import type MediaAsset from '#models/media_asset'
import { appUrl } from '#config/app'
import { PluginRegistry } from '#plugin_host/registry'
import { PluginContextFactory } from '#plugin_host/context_factory'
import { MediaFiles } from '#services/media_files'
import { signedMediaUrl } from '#services/signed_media_url'
import { planMedia, type MediaPlan } from '#publishing/media_plan'

/** A stored copy of an asset prepared for a network (a `media_variants` row) */
export interface MediaVariant {
  id: number
  storagePlugin: string
  storageKey: string
  url: string
  mime: string
  bytes: number
  width: number | null
  height: number | null
}

/** The copy could not be made: the original cannot be decoded as an image */
export class VariantFailed extends Error {}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
}

const ownMedia = `${appUrl.replace(/\/+$/, '')}/media/`

/**
 * Media on the publish path (docs/architecture.md §8.12): each image as the
 * network takes it. When the publisher's limits refuse its type or ratio, a
 * copy is made with sharp (JPEG, cropped into the range), stored through the
 * asset's own media storage and recorded in `media_variants`, so a retry or
 * a second target reuses it; a copy that cannot be made is recorded with its
 * error, so the pre-flight checks and every later attempt say so at once.
 * A network that downloads media (`mediaDelivery: 'url'`) gets a public URL:
 * the storage's own (Cloudinary) or, for Herald's own files, a signed,
 * expiring URL on APP_URL.
 */
@inject()
export class PrepareMedia {
  constructor(
    private registry: PluginRegistry,
    private contexts: PluginContextFactory,
    private files: MediaFiles
  ) {}

  /** The media item a publisher receives for an asset */
  async forPublisher(
    asset: MediaAsset,
    limits: PublisherLimits,
    signal?: AbortSignal
  ): Promise<PublishMedia> {
    const plan = planFor(asset, limits)
    const source = plan.variant
      ? await this.variant(asset, plan, signal).catch((error: unknown) => {
          if (error instanceof VariantFailed)
            throw new Permanent(error.message, { code: 'media_unconvertible' })
          throw error
        })
      : {
          storagePlugin: asset.storagePlugin,
          storageKey: asset.storageKey,
          url: asset.url,
          mime: asset.mime,
          bytes: asset.bytes,
          width: asset.width,
          height: asset.height,
        }
    return {
      mime: source.mime,
      size: source.bytes,
      width: source.width ?? undefined,
      height: source.height ?? undefined,
      altText: asset.altText ?? undefined,
      url: limits.mediaDelivery === 'url' ? publicUrlOf(source) : source.url,
      read: () => this.files.read(source, signal),
    }
  }

  /**
   * The stored copy of an asset for a plan, made once: an existing row is
   * reused (its error thrown again as VariantFailed); otherwise the copy is
   * made, stored under a key derived from the asset and the variant (so a
   * crash between the store and the insert only overwrites the same file),
   * and recorded. Two workers making it at once store the same bytes; the
   * first row wins.
   */
  async variant(asset: MediaAsset, plan: MediaPlan, signal?: AbortSignal): Promise<MediaVariant> {
    const name = plan.variant!
    const existing = await findVariant(asset.id, name)
    if (existing) return existing

    const original = await this.files.read(asset, signal)
    let output: { data: Buffer; info: OutputInfo }
    try {
      output = await convert(original, plan)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      await db
        .table('media_variants')
        .insert({
          media_asset_id: asset.id,
          variant: name,
          error: `The image could not be read to convert it (${reason.slice(0, 200)}). Upload it again as a JPEG.`,
        })
        .onConflict(['media_asset_id', 'variant'])
        .ignore()
      return (await findVariant(asset.id, name))!
    }

    const storage = this.registry.mediaStorage(asset.storagePlugin)
    const ctx = await this.contexts.create(storage.plugin, { signal })
    const key = `w${asset.workspaceId}/variants/${asset.id}-${name}.${EXTENSIONS[plan.mime] ?? 'bin'}`
    const stored = await storage.implementation.put(ctx, {
      bytes: output.data,
      mime: plan.mime,
      key,
    })
    await db
      .table('media_variants')
      .insert({
        media_asset_id: asset.id,
        variant: name,
        storage_plugin: storage.plugin.id,
        storage_key: stored.key,
        url: stored.url,
        mime: plan.mime,
        bytes: output.data.byteLength,
        width: output.info.width,
        height: output.info.height,
      })
      .onConflict(['media_asset_id', 'variant'])
      .ignore()
    return (await findVariant(asset.id, name))!
  }
}

/** The plan of an asset for a publisher's limits */
export function planFor(asset: MediaAsset, limits: PublisherLimits): MediaPlan {
  return planMedia({ mime: asset.mime, width: asset.width, height: asset.height }, limits)
}

/** A URL a network can download: Herald's own files signed on APP_URL, others as stored */
export function publicUrlOf(source: { storageKey: string; url: string }): string {
  return source.url.startsWith(ownMedia) ? signedMediaUrl(source.storageKey) : source.url
}

/** Whether the URL is one of Herald's own media files (local storage) */
export function isOwnMediaUrl(url: string): boolean {
  return url.startsWith(ownMedia)
}

async function findVariant(assetId: number, name: string): Promise<MediaVariant | undefined> {
  const row = await db
    .from('media_variants')
    .where({ media_asset_id: assetId, variant: name })
    .first()
  if (!row) return undefined
  if (row.error) throw new VariantFailed(row.error)
  return {
    id: row.id,
    storagePlugin: row.storage_plugin,
    storageKey: row.storage_key,
    url: row.url,
    mime: row.mime,
    bytes: row.bytes,
    width: row.width,
    height: row.height,
  }
}

/** Decodes, crops to the plan's size around the centre, and writes the plan's type */
async function convert(bytes: Uint8Array, plan: MediaPlan) {
  const sharp = await loadSharp()
  let image = sharp(bytes, { failOn: 'error', limitInputPixels: 100_000_000 })
  if (plan.reasons.includes('ratio') && plan.width && plan.height) {
    image = image.resize(plan.width, plan.height, { fit: 'cover', position: 'centre' })
  }
  if (plan.mime === 'image/jpeg') {
    // JPEG has no transparency: transparent pixels of an AI PNG become white, not black.
    image = image.flatten({ background: '#ffffff' }).jpeg({ quality: 90 })
  } else if (plan.mime === 'image/png') {
    image = image.png()
  } else {
    image = image.webp({ quality: 90 })
  }
  return image.toBuffer({ resolveWithObject: true })
}
