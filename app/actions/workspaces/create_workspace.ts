import db from '@adonisjs/lucid/services/db'
import string from '@adonisjs/core/helpers/string'
import Workspace from '#models/workspace'
import Membership from '#models/membership'
import type User from '#models/user'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'

export interface WorkspaceInput {
  name: string
  slug?: string
  timezone: string
  color?: string
  brandTone?: string
  brandAudience?: string
  bannedWords?: string[]
  defaultHashtags?: string[]
  defaultTextModel?: string
  defaultImageModel?: string
  monthlyAiBudgetUsd?: number
  requiresApproval?: boolean
}

/**
 * The editable columns from validated input; empty optional fields clear
 * their column. Shared by create and update.
 */
export function workspaceAttributes(input: Omit<WorkspaceInput, 'slug' | 'color'>) {
  return {
    name: input.name,
    timezone: input.timezone,
    brandTone: input.brandTone ?? null,
    brandAudience: input.brandAudience ?? null,
    bannedWords: input.bannedWords ?? [],
    defaultHashtags: input.defaultHashtags ?? [],
    defaultTextModel: input.defaultTextModel ?? null,
    defaultImageModel: input.defaultImageModel ?? null,
    monthlyAiBudgetUsd: input.monthlyAiBudgetUsd ?? null,
    requiresApproval: input.requiresApproval ?? false,
  }
}

const PALETTE = [
  '#4f46e5',
  '#0891b2',
  '#059669',
  '#d97706',
  '#dc2626',
  '#7c3aed',
  '#db2777',
  '#2563eb',
]

/**
 * Creates a client workspace; its creator becomes its owner.
 */
export class CreateWorkspace {
  async execute(input: WorkspaceInput, creator: User) {
    return db.transaction(async (trx) => {
      const slug = input.slug ?? (await this.#freeSlug(input.name))
      const workspace = await Workspace.create(
        {
          ...workspaceAttributes(input),
          slug,
          color: input.color ?? PALETTE[slug.length % PALETTE.length],
        },
        { client: trx }
      )
      await Membership.create(
        { workspaceId: workspace.id, userId: creator.id, role: 'owner' },
        { client: trx }
      )
      await new RecordAuditEvent().execute(
        {
          action: 'workspace.created',
          userId: creator.id,
          workspaceId: workspace.id,
          subject: { type: 'workspace', id: workspace.id },
        },
        trx
      )
      return workspace
    })
  }

  /** "Acme Coffee" -> acme-coffee, or acme-coffee-2 when taken */
  async #freeSlug(name: string) {
    const base = string.slug(name, { lower: true, strict: true }).slice(0, 70) || 'workspace'
    const taken = new Set(
      await Workspace.query()
        .whereLike('slug', `${base}%`)
        .select('slug')
        .then((rows) => rows.map((row) => row.slug))
    )
    if (!taken.has(base)) return base
    let suffix = 2
    while (taken.has(`${base}-${suffix}`)) suffix++
    return `${base}-${suffix}`
  }
}
