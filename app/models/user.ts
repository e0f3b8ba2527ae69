import { UserSchema } from '#database/schema'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import Membership from '#models/membership'

export default class User extends compose(UserSchema, withAuthFinder(hash)) {
  @hasMany(() => Membership)
  declare memberships: HasMany<typeof Membership>

  get isActive() {
    return this.deactivatedAt === null
  }

  /** Two letters for the avatar */
  get initials() {
    const [first, last] = this.fullName.trim().split(/\s+/)
    if (first && last) return `${first[0]}${last[0]}`.toUpperCase()
    return (first ?? this.email).slice(0, 2).toUpperCase()
  }
}
