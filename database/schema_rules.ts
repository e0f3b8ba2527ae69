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
    social_accounts: {
      columns: {
        scopes: {
          decorator: '@column({ prepare: (value: string[]) => JSON.stringify(value) })',
          tsType: 'string[]',
        },
        meta: {
          decorator: '@column({ prepare: (value: object) => JSON.stringify(value) })',
          tsType: 'Record<string, unknown>',
        },
        status: { decorator: '@column()', tsType: "'active' | 'needs_reconnect' | 'disabled'" },
      },
    },
    media_assets: {
      columns: {
        source: { decorator: '@column()', tsType: "'upload' | 'ai'" },
      },
    },
    generations: {
      columns: {
        kind: { decorator: '@column()', tsType: "'text' | 'image'" },
        status: {
          decorator: '@column()',
          tsType: "'running' | 'succeeded' | 'failed' | 'cancelled' | 'refused'",
        },
        cost_usd: {
          decorator: '@column({ consume: (value) => Number(value) })',
          tsType: 'number',
        },
      },
    },
    posts: {
      columns: {
        approval_state: {
          decorator: '@column()',
          tsType: "'none' | 'pending' | 'approved' | 'rejected'",
        },
        status: { decorator: '@column()', tsType: "import('#publishing/post_status').PostStatus" },
      },
    },
    post_targets: {
      columns: {
        override_parts: {
          decorator:
            '@column({ prepare: (value: object | null) => (value === null ? null : JSON.stringify(value)) })',
          tsType: "import('#publishing/content').ContentPart[]",
        },
        published_parts: {
          decorator: '@column({ prepare: (value: object) => JSON.stringify(value) })',
          tsType: "import('@herald/plugin-sdk').PublishedPart[]",
        },
        preflight: {
          decorator: '@column({ prepare: (value: object) => JSON.stringify(value) })',
          tsType: "import('#publishing/preflight_types').PreflightIssue[]",
        },
        status: {
          decorator: '@column()',
          tsType: "import('#publishing/target_status').TargetStatus",
        },
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
