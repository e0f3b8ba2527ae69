import db from '@adonisjs/lucid/services/db'
import type { ContentPart } from '#publishing/content'
import MediaAsset from '#models/media_asset'

/**
 * What goes out on a target: its own variant when it has one, else the post's
 * base text and media (one part).
 */
export async function partsOfTarget(target: {
  postId: number
  overrideParts: ContentPart[] | null
}): Promise<ContentPart[]> {
  if (target.overrideParts && target.overrideParts.length > 0) return target.overrideParts
  const post = await db
    .from('posts')
    .where('id', target.postId)
    .select(
      'base_text',
      db.raw(
        `COALESCE((SELECT json_agg(media_asset_id ORDER BY position) FROM post_media
                    WHERE post_id = posts.id), '[]') AS media_ids`
      )
    )
    .firstOrFail()
  return [{ text: post.base_text, mediaIds: post.media_ids as number[] }]
}

/** The media assets the parts name, from the workspace only, by id */
export async function mediaOfParts(workspaceId: number, parts: ContentPart[]) {
  const ids = [...new Set(parts.flatMap((part) => part.mediaIds))]
  if (ids.length === 0) return new Map<number, MediaAsset>()
  const assets = await MediaAsset.query().where('workspace_id', workspaceId).whereIn('id', ids)
  return new Map(assets.map((asset) => [asset.id, asset]))
}
