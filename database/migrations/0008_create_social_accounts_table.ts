import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A client's account on a network (an X profile, a LinkedIn member, a Facebook
 * Page, an Instagram business account), connected through a publisher plugin.
 * Tokens live apart, encrypted, in account_secrets. A disconnected account is
 * kept (status `disabled`, tokens deleted) so its posts stay readable; a
 * reconnect finds it again by (workspace, plugin, external id).
 */
export default class extends BaseSchema {
  protected tableName = 'social_accounts'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('workspace_id')
        .notNullable()
        .references('id')
        .inTable('workspaces')
        .onDelete('CASCADE')
      table.string('plugin_id', 64).notNullable()
      table.string('external_id', 191).notNullable()
      table.string('handle', 191).notNullable()
      table.string('display_name', 191).notNullable()
      table.text('avatar_url').nullable()
      /** Scopes the platform granted (those it needs come from the plugin's OAuth spec) */
      table.jsonb('scopes').notNullable().defaultTo('[]')
      table.string('status', 24).notNullable().defaultTo('active')
      /** Why it needs a reconnect or was disabled, in words a person understands */
      table.text('status_reason').nullable()
      table.timestamp('token_expires_at', { useTz: true }).nullable()
      table.timestamp('last_refreshed_at', { useTz: true }).nullable()
      /** Platform specifics: the Page an Instagram account is reached through, a Page's category... */
      table.jsonb('meta').notNullable().defaultTo('{}')
      table
        .integer('connected_by_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('connected_at', { useTz: true }).notNullable()
      table.timestamp('disconnected_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['workspace_id', 'plugin_id', 'external_id'])
      table.index(['status', 'token_expires_at'])
    })
    this.schema.raw(
      `ALTER TABLE social_accounts ADD CONSTRAINT social_accounts_status_check
       CHECK (status IN ('active', 'needs_reconnect', 'disabled'))`
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
