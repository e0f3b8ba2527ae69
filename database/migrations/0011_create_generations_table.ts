import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The AI ledger: one row per call to an AI provider, written when the call
 * starts (`running`) and completed when it ends, success or not, so spend and
 * failures are never lost.
 */
export default class extends BaseSchema {
  protected tableName = 'generations'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table
        .integer('workspace_id')
        .notNullable()
        .references('id')
        .inTable('workspaces')
        .onDelete('CASCADE')
      table.integer('user_id').nullable().references('id').inTable('users').onDelete('SET NULL')
      table.string('kind', 8).notNullable()
      /** What the person asked for: generate, regenerate, shorten for X, adapt for LinkedIn... */
      table.string('purpose', 32).notNullable().defaultTo('generate')
      table.string('plugin_id', 64).notNullable()
      table.string('model', 191).notNullable()
      table.text('prompt').notNullable()
      table.text('output_text').nullable()
      table
        .integer('media_asset_id')
        .nullable()
        .references('id')
        .inTable('media_assets')
        .onDelete('SET NULL')
      table.integer('input_tokens').notNullable().defaultTo(0)
      table.integer('output_tokens').notNullable().defaultTo(0)
      table.decimal('cost_usd', 14, 6).notNullable().defaultTo(0)
      table.integer('latency_ms').nullable()
      table.string('status', 16).notNullable().defaultTo('running')
      table.text('error').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('finished_at', { useTz: true }).nullable()
      table.index(['workspace_id', 'created_at'])
    })
    this.schema.raw(
      `ALTER TABLE generations ADD CONSTRAINT generations_kind_check CHECK (kind IN ('text', 'image'));
       ALTER TABLE generations ADD CONSTRAINT generations_status_check
       CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled'))`
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
