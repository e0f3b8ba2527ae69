import { PublishAttemptSchema } from '#database/schema'
import { belongsTo } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import PostTarget from '#models/post_target'

/** One try to publish a target, with its lease and outcome */
export default class PublishAttempt extends PublishAttemptSchema {
  @belongsTo(() => PostTarget, { foreignKey: 'postTargetId' })
  declare target: BelongsTo<typeof PostTarget>
}
