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
  const post = await db.from('posts').where('id', target.postId).select('base_text').firstOrFail()
  const media = await db
    .from('post_media')
    .where('post_id', target.postId)
    .orderBy('position')
    .select('media_asset_id')
  return [{ text: post.base_text, mediaIds: media.map((row) => row.media_asset_id as number) }]
}

/** The media assets the parts name, from the workspace only, by id */
export async function mediaOfParts(workspaceId: number, parts: ContentPart[]) {
  const ids = [...new Set(parts.flatMap((part) => part.mediaIds))]
  if (ids.length === 0) return new Map<number, MediaAsset>()
  const assets = await MediaAsset.query().where('workspace_id', workspaceId).whereIn('id', ids)
  return new Map(assets.map((asset) => [asset.id, asset]))
}
