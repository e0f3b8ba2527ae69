import User from '#models/user'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'

export interface CreateUserInput {
  fullName: string
  email: string
  password: string
  isAdmin?: boolean
}

/**
 * An admin adds a colleague with an initial password they hand over.
 */
export class CreateUser {
  async execute(input: CreateUserInput, actor?: User) {
    const user = await User.create({ ...input, isAdmin: input.isAdmin ?? false })
    await new RecordAuditEvent().execute({
      action: 'user.created',
      userId: actor?.id,
      subject: { type: 'user', id: user.id },
      meta: { email: user.email, isAdmin: user.isAdmin },
    })
    return user
  }
}
