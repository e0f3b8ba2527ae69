import { MediaAssetSchema } from '#database/schema'
import { belongsTo } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Workspace from '#models/workspace'
import User from '#models/user'

/** An image of a workspace, uploaded or generated, stored by a media-storage plugin */
export default class MediaAsset extends MediaAssetSchema {
  @belongsTo(() => Workspace)
  declare workspace: BelongsTo<typeof Workspace>

  @belongsTo(() => User, { foreignKey: 'createdById' })
  declare createdBy: BelongsTo<typeof User>

  get isImage() {
    return this.mime.startsWith('image/')
  }
}
