import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Re-encrypts every stored secret under the first key of SECRETS_KEY.
 * Rotation: put the new key first (`SECRETS_KEY=new,old`), restart, run this,
 * then drop the old key.
 */
export default class SecretsRotate extends BaseCommand {
  static commandName = 'secrets:rotate'
  static description = 'Re-encrypt every stored secret under the newest SECRETS_KEY'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { RotateSecrets } = await import('#actions/system/rotate_secrets')
    const { default: secrets } = await import('#services/secrets')
    const report = await new RotateSecrets(secrets).execute()
    this.logger.info(
      `Secrets now under key ${secrets.primaryKeyId}: ${report.rotated} re-encrypted, ${report.current} already current`
    )
    for (const failure of report.failed) {
      this.logger.error(`${failure.table} #${failure.id}: ${failure.reason}`)
    }
    if (report.failed.length) {
      this.logger.error(
        'Some secrets could not be decrypted with any key in SECRETS_KEY; they were left as they were.'
      )
      this.exitCode = 1
    }
  }
}
