import { DateTime } from 'luxon'
import type User from '#models/user'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'

export type SetUserActiveResult = { ok: true } | { ok: false; message: string }

/**
 * Deactivates (signs out at their next request, keeps their history) or
 * reactivates a user. Admins cannot deactivate themselves.
 */
export class SetUserActive {
  async execute(user: User, active: boolean, actor: User): Promise<SetUserActiveResult> {
    if (!active && user.id === actor.id) {
      return { ok: false, message: 'You cannot deactivate your own account.' }
    }
    user.deactivatedAt = active ? null : DateTime.now()
    await user.save()
    await new RecordAuditEvent().execute({
      action: active ? 'user.reactivated' : 'user.deactivated',
      userId: actor.id,
      subject: { type: 'user', id: user.id },
    })
    return { ok: true }
  }
}
