import { PostTargetSchema } from '#database/schema'
import { belongsTo, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Post from '#models/post'
import SocialAccount from '#models/social_account'
import PublishAttempt from '#models/publish_attempt'

/** One post on one account, moving through the state machine of app/publishing/target_status.ts */
export default class PostTarget extends PostTargetSchema {
  @belongsTo(() => Post)
  declare post: BelongsTo<typeof Post>

  @belongsTo(() => SocialAccount, { foreignKey: 'socialAccountId' })
  declare account: BelongsTo<typeof SocialAccount>

  @hasMany(() => PublishAttempt)
  declare attempts: HasMany<typeof PublishAttempt>
}
