import { MediaAssetSchema } from '#database/schema'
import { belongsTo } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Workspace from '#models/workspace'
import User from '#models/user'
import { appUrl } from '#config/app'

const ownMedia = `${appUrl.replace(/\/+$/, '')}/media/`

/** An image of a workspace, uploaded or generated, stored by a media-storage plugin */
export default class MediaAsset extends MediaAssetSchema {
  @belongsTo(() => Workspace)
  declare workspace: BelongsTo<typeof Workspace>

  @belongsTo(() => User, { foreignKey: 'createdById' })
  declare createdBy: BelongsTo<typeof User>

  get isImage() {
    return this.mime.startsWith('image/')
  }

  /**
   * The URL pages show: Herald's own media files (local-media) as a path, so
   * they load from whatever address Herald is opened at (the stored URL is
   * absolute, for the networks that fetch it).
   */
  get displayUrl() {
    return this.url.startsWith(ownMedia) ? `/media/${this.url.slice(ownMedia.length)}` : this.url
  }
}
