import { randomBytes } from 'node:crypto'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import { DateTime } from 'luxon'
import MediaAsset from '#models/media_asset'
import type Workspace from '#models/workspace'
import { PluginRegistry } from '#plugin_host/registry'
import { PluginContextFactory } from '#plugin_host/context_factory'
import type { ProbedImage } from '#services/image_probe'

export interface StoreMediaInput {
  workspace: Workspace
  bytes: Uint8Array
  /** Checked by probeImage (type from magic bytes, size) */
  image: ProbedImage
  source: 'upload' | 'ai'
  createdById: number | null
  originalName?: string | null
  altText?: string | null
  /** AI images: what was asked, of which model */
  prompt?: string | null
  model?: string | null
  signal?: AbortSignal
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
}

/**
 * Stores an image through the default media-storage plugin (local disk or
 * Cloudinary) under an unguessable key, then records the media asset. When
 * the record cannot be written, the stored file is removed again.
 */
@inject()
export class StoreMedia {
  constructor(
    private registry: PluginRegistry,
    private contexts: PluginContextFactory
  ) {}

  async execute(input: StoreMediaInput): Promise<MediaAsset> {
    const storage = this.registry.mediaStorage()
    const ctx = await this.contexts.create(storage.plugin, { signal: input.signal })
    const month = DateTime.utc().toFormat('yyyy/MM')
    const key = `w${input.workspace.id}/${month}/${randomBytes(16).toString('hex')}.${EXTENSIONS[input.image.mime]}`
    const stored = await storage.implementation.put(ctx, {
      bytes: input.bytes,
      mime: input.image.mime,
      key,
    })
    try {
      return await MediaAsset.create({
        workspaceId: input.workspace.id,
        storagePlugin: storage.plugin.id,
        storageKey: stored.key,
        url: stored.url,
        mime: input.image.mime,
        bytes: input.bytes.byteLength,
        width: input.image.width,
        height: input.image.height,
        altText: input.altText?.trim() || null,
        source: input.source,
        originalName: input.originalName?.slice(0, 255) ?? null,
        prompt: input.prompt ?? null,
        model: input.model ?? null,
        createdById: input.createdById,
      })
    } catch (error) {
      await storage.implementation.delete(ctx, stored.key).catch((cleanup: unknown) => {
        logger.warn({ err: cleanup, key: stored.key }, 'could not remove an unrecorded media file')
      })
      throw error
    }
  }
}
