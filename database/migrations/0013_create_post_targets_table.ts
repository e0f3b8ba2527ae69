import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * One post on one account: what goes out there (the base content, or the
 * account's own variant, several parts for a thread), where it stands in the
 * state machine (docs/architecture.md §4), when it runs next, and what
 * happened (external id and URL, or the last error in words).
 */
export default class extends BaseSchema {
  protected tableName = 'post_targets'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.integer('post_id').notNullable().references('id').inTable('posts').onDelete('CASCADE')
      table
        .integer('workspace_id')
        .notNullable()
        .references('id')
        .inTable('workspaces')
        .onDelete('CASCADE')
      table
        .integer('social_account_id')
        .notNullable()
        .references('id')
        .inTable('social_accounts')
        .onDelete('RESTRICT')
      table.string('plugin_id', 64).notNullable()
      /** The account's variant: [{ text, mediaIds }] (several parts = a thread); null = the base content */
      table.jsonb('override_parts').nullable()
      table.string('status', 24).notNullable().defaultTo('draft')
      /** When the next attempt may run: the post's time, a retry's time, a rate limit's reset */
      table.timestamp('due_at', { useTz: true }).nullable()
      /** Publish attempts made so far */
      table.integer('attempt_count').notNullable().defaultTo(0)
      /** Grows each time the target is (re)enqueued; the job id carries it, stale jobs do nothing */
      table.integer('job_seq').notNullable().defaultTo(0)
      table.string('external_id', 191).nullable()
      table.text('url').nullable()
      /** Thread parts already live (resume from here after a failure) */
      table.jsonb('published_parts').notNullable().defaultTo('[]')
      table.timestamp('published_at', { useTz: true }).nullable()
      table.string('last_error_kind', 24).nullable()
      /** In words a person understands */
      table.text('last_error').nullable()
      /** The platform's own words, shown one click away */
      table.text('last_error_detail').nullable()
      /** Pre-flight problems found before its time: [{ code, message, blocking }] */
      table.jsonb('preflight').notNullable().defaultTo('[]')
      table.timestamp('preflight_checked_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['post_id', 'social_account_id'])
      table.index(['status', 'due_at'])
      table.index(['workspace_id', 'status'])
      table.index(['social_account_id', 'status'])
    })
    this.schema.raw(
      `ALTER TABLE post_targets ADD CONSTRAINT post_targets_status_check CHECK (status IN (
        'draft', 'scheduled', 'queued', 'publishing', 'published', 'retrying',
        'failed', 'needs_reconnect', 'unknown', 'held', 'missed'))`
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
