import { SocialAccountSchema } from '#database/schema'
import { belongsTo, hasOne } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasOne } from '@adonisjs/lucid/types/relations'
import Workspace from '#models/workspace'
import AccountSecret from '#models/account_secret'

export type AccountStatus = SocialAccount['status']

/**
 * A client's account on a network, connected through a publisher plugin
 * (`pluginId`). Its tokens are in AccountSecret, read and written only
 * through app/services/account_tokens.ts.
 */
export default class SocialAccount extends SocialAccountSchema {
  @belongsTo(() => Workspace)
  declare workspace: BelongsTo<typeof Workspace>

  @hasOne(() => AccountSecret)
  declare secret: HasOne<typeof AccountSecret>

  get isActive() {
    return this.status === 'active'
  }

  get isDisconnected() {
    return this.status === 'disabled'
  }

  /** Scopes of `needed` the platform did not grant */
  missingScopes(needed: readonly string[]) {
    const granted = new Set(this.scopes)
    return needed.filter((scope) => !granted.has(scope))
  }
}
