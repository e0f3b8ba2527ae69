import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'
import { FirstRunState } from '#services/first_run_state'

export interface FirstAdminInput {
  fullName: string
  email: string
  password: string
}

/**
 * Creates the first admin on a fresh install. Returns null when an admin
 * already exists (two people racing through setup: only one wins, under a
 * transaction-scoped advisory lock).
 */
export class CreateFirstAdmin {
  async execute(input: FirstAdminInput): Promise<User | null> {
    const user = await db.transaction(async (trx) => {
      await trx.rawQuery('select pg_advisory_xact_lock(hashtext(?))', ['herald:first-admin'])
      const existing = await User.query({ client: trx }).where('is_admin', true).first()
      if (existing) return null
      const created = await User.create({ ...input, isAdmin: true }, { client: trx })
      await new RecordAuditEvent().execute(
        {
          action: 'setup.first_admin_created',
          userId: created.id,
          subject: { type: 'user', id: created.id },
        },
        trx
      )
      return created
    })
    if (user) FirstRunState.reset()
    return user
  }
}
