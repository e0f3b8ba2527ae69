import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type MediaAsset from '#models/media_asset'
import { PluginRegistry } from '#plugin_host/registry'
import { PluginContextFactory } from '#plugin_host/context_factory'

/** Target states in which a post still has to go out (its media must stay) */
export const MEDIA_LOCKING_STATUSES = ['scheduled', 'queued', 'publishing', 'retrying', 'held']

/** Deleting refused: a scheduled post uses the media */
export class MediaInUseError extends Error {
  constructor() {
    super(
      'This image is used by a scheduled post, so it cannot be deleted. Remove it from the post, or unschedule the post, first.'
    )
    this.name = 'MediaInUseError'
  }
}

/**
 * Ids of the given assets that a post still to go out uses: as base media
 * (post_media) of a post with such a target, or in such a target's own
 * variant (post_targets.override_parts[*].mediaIds).
 */
export async function mediaInUse(
  workspaceId: number,
  assetIds: number[],
  client: QueryClientContract | TransactionClientContract = db.connection()
): Promise<Set<number>> {
  const ids = assetIds.filter((id) => Number.isSafeInteger(id))
  if (ids.length === 0) return new Set()
  // PostgreSQL array literals: knex would expand a JS array into a list of values.
  const statuses = `{${MEDIA_LOCKING_STATUSES.join(',')}}`
  const idList = `{${ids.join(',')}}`
  const result = await client.rawQuery(
    `SELECT DISTINCT pm.media_asset_id AS id
       FROM post_media pm
       JOIN post_targets pt ON pt.post_id = pm.post_id
      WHERE pt.workspace_id = :workspaceId AND pt.status = ANY(CAST(:statuses AS text[]))
        AND pm.media_asset_id = ANY(CAST(:ids AS int[]))
     UNION
     SELECT DISTINCT (media_id.value)::int AS id
       FROM post_targets pt
       CROSS JOIN LATERAL jsonb_array_elements(
         CASE WHEN jsonb_typeof(pt.override_parts) = 'array' THEN pt.override_parts ELSE '[]'::jsonb END
       ) AS part
       CROSS JOIN LATERAL jsonb_array_elements_text(
         CASE WHEN jsonb_typeof(part.value -> 'mediaIds') = 'array' THEN part.value -> 'mediaIds' ELSE '[]'::jsonb END
       ) AS media_id
      WHERE pt.workspace_id = :workspaceId AND pt.status = ANY(CAST(:statuses AS text[]))
        AND media_id.value ~ '^[0-9]+$' AND (media_id.value)::int = ANY(CAST(:ids AS int[]))`,
    { workspaceId, statuses, ids: idList }
  )
  return new Set((result.rows as { id: number }[]).map((row) => Number(row.id)))
}

/**
 * Deletes a media asset, refused while a post still to go out uses it. The
 * record goes first (the library stops offering it), then the stored file;
 * a file that cannot be removed is logged, never shown as a failure.
 */
@inject()
export class DeleteMedia {
  constructor(
    private registry: PluginRegistry,
    private contexts: PluginContextFactory
  ) {}

  async execute(asset: MediaAsset): Promise<void> {
    // Its copies prepared for networks (§8.12) go with it: rows by cascade, files here.
    const variants = await db
      .from('media_variants')
      .where('media_asset_id', asset.id)
      .whereNotNull('storage_key')
      .select('storage_plugin', 'storage_key')
    await db.transaction(async (trx) => {
      // Serialises with a post being scheduled with this asset in the same moment.
      await trx.from('media_assets').where('id', asset.id).forUpdate().first()
      const used = await mediaInUse(asset.workspaceId, [asset.id], trx)
      if (used.has(asset.id)) throw new MediaInUseError()
      asset.useTransaction(trx)
      await asset.delete()
    })
    const files = [
      { plugin: asset.storagePlugin, key: asset.storageKey },
      ...variants.map((row) => ({
        plugin: row.storage_plugin as string,
        key: row.storage_key as string,
      })),
    ]
    for (const file of files) {
      try {
        const storage = this.registry.mediaStorage(file.plugin)
        const ctx = await this.contexts.create(storage.plugin, { timeoutMs: 30_000 })
        await storage.implementation.delete(ctx, file.key)
      } catch (error) {
        logger.warn(
          { err: error, storagePlugin: file.plugin, key: file.key },
          'media record deleted, stored file not removed'
        )
      }
    }
  }
}
