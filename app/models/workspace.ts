import { WorkspaceSchema } from '#database/schema'
import { hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { DateTime } from 'luxon'
import Membership from '#models/membership'

export default class Workspace extends WorkspaceSchema {
  @hasMany(() => Membership)
  declare memberships: HasMany<typeof Membership>

  get isArchived() {
    return this.archivedAt !== null
  }

  /** "UTC+01:00" for the workspace's timezone at the given instant (DST-aware) */
  utcOffsetLabel(at: DateTime = DateTime.now()) {
    return `UTC${at.setZone(this.timezone).toFormat('ZZ')}`
  }
}
