import db from '@adonisjs/lucid/services/db'
import secrets, { type SecretsKeyring } from '#services/secrets'
import { PluginSettingsStore } from '#plugin_host/settings_store'
import { AccountTokens } from '#services/account_tokens'
import { PendingConnections } from '#services/pending_connections'

/** A column holding keyring ciphertexts, and the context each value is bound to */
interface EncryptedColumn {
  table: string
  column: string
  /** Only rows holding ciphertexts */
  where?: Record<string, unknown>
  context: (row: Record<string, any>) => string
}

/**
 * Every place secrets live. A new encrypted column (e.g. platform tokens)
 * adds itself here so `secrets:rotate` covers it.
 */
export const ENCRYPTED_COLUMNS: EncryptedColumn[] = [
  {
    table: 'plugin_settings',
    column: 'value',
    where: { is_secret: true },
    context: (row) => PluginSettingsStore.context(row.plugin_id, row.name),
  },
  {
    table: 'account_secrets',
    column: 'access_token',
    context: (row) => AccountTokens.context(row.social_account_id, 'access_token'),
  },
  {
    table: 'account_secrets',
    column: 'refresh_token',
    context: (row) => AccountTokens.context(row.social_account_id, 'refresh_token'),
  },
  {
    table: 'pending_account_connections',
    column: 'candidates',
    context: (row) => PendingConnections.context(row.id),
  },
]

export interface RotationReport {
  rotated: number
  current: number
  /** Rows that could not be decrypted with any key: table, id and the reason (never the value) */
  failed: { table: string; id: number; reason: string }[]
}

/**
 * Re-encrypts every secret under the keyring's first key. Old keys keep
 * decrypting meanwhile, so it runs while Herald serves and nobody is signed
 * out (sessions use APP_KEY, not this keyring). Row by row, each under a row
 * lock, so a concurrent save is never overwritten with a stale value.
 */
export class RotateSecrets {
  constructor(private keyring: SecretsKeyring = secrets) {}

  async execute(): Promise<RotationReport> {
    const report: RotationReport = { rotated: 0, current: 0, failed: [] }
    for (const target of ENCRYPTED_COLUMNS) {
      const ids = await db
        .from(target.table)
        .where(target.where ?? {})
        .select('id')
        .orderBy('id')
      for (const { id } of ids) {
        await db.transaction(async (trx) => {
          const row = await trx.from(target.table).where('id', id).forUpdate().first()
          if (!row) return
          const value = row[target.column] as string | null
          if (value === null) return
          if (!this.keyring.needsRotation(value)) {
            report.current++
            return
          }
          try {
            const context = target.context(row)
            const plaintext = this.keyring.decrypt(value, context)
            await trx
              .from(target.table)
              .where('id', id)
              .update({ [target.column]: this.keyring.encrypt(plaintext, context) })
            report.rotated++
          } catch (error) {
            report.failed.push({ table: target.table, id, reason: (error as Error).message })
          }
        })
      }
    }
    return report
  }
}
