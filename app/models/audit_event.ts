import { AuditEventSchema } from '#database/schema'

export default class AuditEvent extends AuditEventSchema {}
