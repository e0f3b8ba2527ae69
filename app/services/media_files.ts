import { inject } from '@adonisjs/core'
import { PluginRegistry } from '#plugin_host/registry'
import { PluginContextFactory } from '#plugin_host/context_factory'
import type MediaAsset from '#models/media_asset'

/**
 * The bytes of stored media, for publishers that upload them (X, LinkedIn):
 * through the storage plugin's `read` when it has one, else by downloading the
 * asset's URL with the storage plugin's HTTP client (its hosts only).
 */
@inject()
export class MediaFiles {
  constructor(
    private registry: PluginRegistry,
    private contexts: PluginContextFactory
  ) {}

  async read(
    asset: Pick<MediaAsset, 'storagePlugin' | 'storageKey' | 'url'>,
    signal?: AbortSignal
  ): Promise<Uint8Array> {
    const storage = this.registry.mediaStorage(asset.storagePlugin)
    const ctx = await this.contexts.create(storage.plugin, { signal })
    if (storage.implementation.read) {
      return storage.implementation.read(ctx, asset.storageKey)
    }
    const response = await ctx.http.request({ method: 'GET', url: asset.url })
    if (response.status !== 200) {
      throw new Error(`The media storage answered HTTP ${response.status} for ${asset.storageKey}`)
    }
    return response.bytes()
  }
}
