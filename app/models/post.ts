import { PostSchema } from '#database/schema'
import { belongsTo, hasMany, manyToMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany, ManyToMany } from '@adonisjs/lucid/types/relations'
import Workspace from '#models/workspace'
import User from '#models/user'
import MediaAsset from '#models/media_asset'
import PostTarget from '#models/post_target'

/**
 * A post of a workspace: base text and media, time, approval. What goes out
 * on each account is a PostTarget.
 */
export default class Post extends PostSchema {
  @belongsTo(() => Workspace)
  declare workspace: BelongsTo<typeof Workspace>

  @belongsTo(() => User, { foreignKey: 'authorId' })
  declare author: BelongsTo<typeof User>

  @belongsTo(() => User, { foreignKey: 'approvalDecidedById' })
  declare approvalDecidedBy: BelongsTo<typeof User>

  @hasMany(() => PostTarget)
  declare targets: HasMany<typeof PostTarget>

  /** Base media, in order */
  @manyToMany(() => MediaAsset, {
    pivotTable: 'post_media',
    pivotColumns: ['position'],
    pivotTimestamps: false,
  })
  declare media: ManyToMany<typeof MediaAsset>

  /** Whether it may go out as things stand (no approval asked, or approved) */
  get isApprovedToGo() {
    return this.approvalState === 'none' || this.approvalState === 'approved'
  }
}
