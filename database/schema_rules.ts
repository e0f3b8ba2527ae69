import { type SchemaRules } from '@adonisjs/lucid/types/schema_generator'

/**
 * Column type overrides for the generated database/schema.ts. jsonb columns
 * are serialised by hand: node-postgres would turn a JS array into a
 * PostgreSQL array literal.
 */
export default {
  tables: {
    workspaces: {
      columns: {
        banned_words: {
          decorator: '@column({ prepare: (value: string[]) => JSON.stringify(value) })',
          tsType: 'string[]',
        },
        default_hashtags: {
          decorator: '@column({ prepare: (value: string[]) => JSON.stringify(value) })',
          tsType: 'string[]',
        },
        monthly_ai_budget_usd: {
          decorator: '@column({ consume: (value) => (value === null ? null : Number(value)) })',
          tsType: 'number',
        },
      },
    },
    memberships: {
      columns: {
        role: { decorator: '@column()', tsType: "'owner' | 'editor' | 'approver' | 'viewer'" },
      },
    },
    audit_events: {
      columns: {
        meta: {
          decorator: '@column({ prepare: (value: object) => JSON.stringify(value) })',
          tsType: 'Record<string, unknown>',
        },
      },
    },
  },
} satisfies SchemaRules
