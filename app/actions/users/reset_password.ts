import type User from '#models/user'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'

/**
 * An admin sets a new password for a user (the password is hashed by the
 * model's auth finder hook; it is never logged).
 */
export class ResetPassword {
  async execute(user: User, password: string, actor: User) {
    user.password = password
    await user.save()
    await new RecordAuditEvent().execute({
      action: 'user.password_reset',
      userId: actor.id,
      subject: { type: 'user', id: user.id },
    })
  }
}
