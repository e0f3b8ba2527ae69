import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A provider's moderation refusal is its own outcome in the ledger
 * (`refused`), so the AI usage page shows it as a refusal, not as an outage.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(
      `ALTER TABLE generations DROP CONSTRAINT generations_status_check;
       ALTER TABLE generations ADD CONSTRAINT generations_status_check
       CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'refused'))`
    )
  }

  async down() {
    this.schema.raw(
      `UPDATE generations SET status = 'failed' WHERE status = 'refused';
       ALTER TABLE generations DROP CONSTRAINT generations_status_check;
       ALTER TABLE generations ADD CONSTRAINT generations_status_check
       CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled'))`
    )
  }
}
