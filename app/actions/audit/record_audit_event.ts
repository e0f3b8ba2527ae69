import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AuditEvent from '#models/audit_event'

export interface AuditEntry {
  action: string
  userId?: number | null
  workspaceId?: number | null
  subject?: { type: string; id: string | number }
  meta?: Record<string, unknown>
}

/**
 * Appends one line to the audit trail: who did what to which object.
 */
export class RecordAuditEvent {
  async execute(entry: AuditEntry, client?: TransactionClientContract) {
    await AuditEvent.create(
      {
        action: entry.action,
        userId: entry.userId ?? null,
        workspaceId: entry.workspaceId ?? null,
        subjectType: entry.subject?.type ?? null,
        subjectId: entry.subject ? String(entry.subject.id) : null,
        meta: entry.meta ?? {},
      },
      { client }
    )
  }
}
