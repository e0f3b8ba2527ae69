import { randomUUID } from 'node:crypto'
import sharp from 'sharp'
import app from '@adonisjs/core/services/app'
import { PluginRegistry } from '#plugin_host/registry'
import { PluginContextFactory } from '#plugin_host/context_factory'
import MediaAsset from '#models/media_asset'
import type Workspace from '#models/workspace'
import { gif, jpeg, png } from '../../plugins/local-media/tests/images.js'

const MAKERS = { 'image/png': png, 'image/jpeg': jpeg, 'image/gif': gif } as const

/**
 * An image in the workspace's media library, stored through the default
 * media-storage plugin like an upload (header-only bytes: enough for type and
 * size checks, not for decoding).
 */
export async function storeTestImage(
  workspace: Workspace,
  options: { mime?: keyof typeof MAKERS; width?: number; height?: number; altText?: string } = {}
) {
  const mime = options.mime ?? 'image/png'
  const bytes = MAKERS[mime](options.width ?? 1200, options.height ?? 800)
  const registry = await app.container.make(PluginRegistry)
  const storage = registry.mediaStorage()
  const ctx = await (await app.container.make(PluginContextFactory)).create(storage.plugin)
  const stored = await storage.implementation.put(ctx, {
    bytes,
    mime,
    key: `test/${workspace.id}/${randomUUID()}`,
  })
  return MediaAsset.create({
    workspaceId: workspace.id,
    storagePlugin: storage.plugin.id,
    storageKey: stored.key,
    url: stored.url,
    mime,
    bytes: bytes.byteLength,
    width: stored.width ?? options.width ?? null,
    height: stored.height ?? options.height ?? null,
    altText: options.altText ?? null,
    source: 'upload',
  })
}

/**
 * A real, decodable image (made with sharp) in the workspace's media library,
 * stored through the default media-storage plugin like an upload or an AI
 * image: for the publish path that converts and crops it.
 */
export async function storeRealImage(
  workspace: Workspace,
  options: { mime?: 'image/png' | 'image/jpeg'; width?: number; height?: number } = {}
) {
  const mime = options.mime ?? 'image/png'
  const width = options.width ?? 1200
  const height = options.height ?? 800
  const canvas = sharp({
    create: { width, height, channels: 4, background: { r: 200, g: 120, b: 40, alpha: 0.5 } },
  })
  const bytes = new Uint8Array(
    mime === 'image/png' ? await canvas.png().toBuffer() : await canvas.jpeg().toBuffer()
  )
  const registry = await app.container.make(PluginRegistry)
  const storage = registry.mediaStorage()
  const ctx = await (await app.container.make(PluginContextFactory)).create(storage.plugin)
  const extension = mime === 'image/png' ? 'png' : 'jpg'
  const stored = await storage.implementation.put(ctx, {
    bytes,
    mime,
    key: `w${workspace.id}/test/${randomUUID()}.${extension}`,
  })
  return MediaAsset.create({
    workspaceId: workspace.id,
    storagePlugin: storage.plugin.id,
    storageKey: stored.key,
    url: stored.url,
    mime,
    bytes: bytes.byteLength,
    width,
    height,
    altText: 'Flat white on the counter',
    source: 'ai',
  })
}
