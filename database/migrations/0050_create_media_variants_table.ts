import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Copies of a media asset prepared for a network (docs/architecture.md
 * §8.10): converted to a type it takes (JPEG for Instagram) and/or cropped
 * into its aspect-ratio range. One row per asset and variant name (e.g.
 * `jpeg-1080x1350`), stored through the asset's media storage under a key
 * derived from the asset's, so a retry reuses the file. A preparation that
 * failed (the image cannot be decoded) is kept with its `error`, which the
 * pre-flight checks show. The original asset is never replaced; its
 * variants go with it.
 */
export default class extends BaseSchema {
  protected tableName = 'media_variants'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('media_asset_id')
        .notNullable()
        .references('id')
        .inTable('media_assets')
        .onDelete('CASCADE')
      table.string('variant', 64).notNullable()
      table.string('storage_plugin', 64).nullable()
      table.string('storage_key', 255).nullable()
      table.text('url').nullable()
      table.string('mime', 64).nullable()
      table.integer('bytes').nullable()
      table.integer('width').nullable()
      table.integer('height').nullable()
      /** Why the copy could not be made, in words (then no file) */
      table.text('error').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['media_asset_id', 'variant'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
