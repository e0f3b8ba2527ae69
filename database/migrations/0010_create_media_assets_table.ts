import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A workspace's images (uploads and AI generations), stored through a
 * media-storage plugin (local disk or Cloudinary).
 */
export default class extends BaseSchema {
  protected tableName = 'media_assets'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('workspace_id')
        .notNullable()
        .references('id')
        .inTable('workspaces')
        .onDelete('CASCADE')
      table.string('storage_plugin', 64).notNullable()
      table.string('storage_key', 255).notNullable()
      table.text('url').notNullable()
      table.string('mime', 64).notNullable()
      table.integer('bytes').notNullable()
      table.integer('width').nullable()
      table.integer('height').nullable()
      table.text('alt_text').nullable()
      table.string('source', 16).notNullable()
      table.string('original_name', 255).nullable()
      /** AI images: what was asked, of which model */
      table.text('prompt').nullable()
      table.string('model', 191).nullable()
      table
        .integer('created_by_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['workspace_id', 'created_at'])
    })
    this.schema.raw(
      `ALTER TABLE media_assets ADD CONSTRAINT media_assets_source_check
       CHECK (source IN ('upload', 'ai'))`
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
