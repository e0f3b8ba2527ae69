import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Plugin settings an admin set on the Plugins page. Values are JSON; secret
 * values are AES-256-GCM ciphertexts (app/services/secrets.ts). Environment
 * variables named in a plugin's manifest take precedence over these rows.
 */
export default class extends BaseSchema {
  protected tableName = 'plugin_settings'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('plugin_id', 64).notNullable()
      table.string('name', 64).notNullable()
      table.text('value').notNullable()
      table.boolean('is_secret').notNullable().defaultTo(false)
      table
        .integer('updated_by_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['plugin_id', 'name'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
