import { GenerationSchema } from '#database/schema'
import { belongsTo } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import MediaAsset from '#models/media_asset'

/** One call to an AI provider: the ledger row (cost, tokens, latency, outcome) */
export default class Generation extends GenerationSchema {
  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @belongsTo(() => MediaAsset)
  declare mediaAsset: BelongsTo<typeof MediaAsset>
}
