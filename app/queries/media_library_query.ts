import aiConfig from '#config/ai'
import MediaAsset from '#models/media_asset'
import type Workspace from '#models/workspace'
import NotFoundException from '#exceptions/not_found_exception'
import { mediaInUse } from '#actions/media/delete_media'

const PER_PAGE = 48

/** One tile of the media library */
export interface MediaTile {
  asset: MediaAsset
  /** A post still to go out uses it: deleting is refused */
  inUse: boolean
  /** "1.2 MB", "640 KB" */
  size: string
}

export function formatBytes(bytes: number) {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
  return `${Math.max(1, Math.round(bytes / 1024))} KB`
}

/**
 * The media library of a workspace, newest first: uploads and AI images,
 * each with whether a scheduled post uses it.
 */
export class MediaLibraryQuery {
  async execute(workspace: Workspace, options: { page?: number; source?: string } = {}) {
    const page = Math.max(1, Math.min(10_000, Math.trunc(options.page ?? 1) || 1))
    const source =
      options.source === 'ai' || options.source === 'upload' ? options.source : undefined
    const query = MediaAsset.query()
      .where('workspace_id', workspace.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
    if (source) query.where('source', source)
    const result = await query.paginate(page, PER_PAGE)
    const assets = result.all()
    const used = await mediaInUse(
      workspace.id,
      assets.map((asset) => asset.id)
    )
    const tiles: MediaTile[] = assets.map((asset) => ({
      asset,
      inUse: used.has(asset.id),
      size: formatBytes(asset.bytes),
    }))
    return {
      tiles,
      source: source ?? 'all',
      page,
      total: result.total,
      hasMore: result.hasMorePages,
      maxUpload: formatBytes(aiConfig.upload.maxBytes),
    }
  }

  /** One asset as a tile (with whether a scheduled post uses it) */
  static async tile(asset: MediaAsset): Promise<MediaTile> {
    const used = await mediaInUse(asset.workspaceId, [asset.id])
    return { asset, inUse: used.has(asset.id), size: formatBytes(asset.bytes) }
  }

  /** One asset of the workspace (another workspace's id is a 404) */
  static async find(workspace: Workspace, id: string | number): Promise<MediaAsset> {
    if (!/^\d{1,9}$/.test(String(id))) throw new NotFoundException()
    const asset = await MediaAsset.query()
      .where('workspace_id', workspace.id)
      .where('id', Number(id))
      .first()
    if (!asset) throw new NotFoundException()
    return asset
  }
}
