import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import type { CredentialsCheck } from '@herald/plugin-sdk'
import { Publishers } from '#plugin_host/publishers'
import { PluginNotConfiguredError } from '#plugin_host/context_factory'

export interface ConfigurationCheck extends CredentialsCheck {
  pluginId: string
  platform: string
}

/**
 * The "Check configuration" button: asks the platform whether the client
 * credentials of a publisher's settings are right, where the plugin can
 * (`checkCredentials`), without anyone signing in.
 */
@inject()
export class CheckPublisherConfiguration {
  constructor(private publishers: Publishers) {}

  async execute(pluginId: string): Promise<ConfigurationCheck> {
    const platform = this.publishers.displayName(pluginId)
    const entry = this.publishers.find(pluginId)
    const outcome = (check: CredentialsCheck) => ({ pluginId, platform, ...check })
    if (!entry) {
      return outcome({ status: 'invalid', message: `The ${platform} plugin is not available.` })
    }
    if (!entry.publisher.checkCredentials) {
      return outcome({
        status: 'unverifiable',
        message: `${platform} offers no way to check the credentials before a real sign-in: connect an account to test them.`,
      })
    }
    try {
      const context = await this.publishers.context(entry, { timeoutMs: 30_000 })
      return outcome(await entry.publisher.checkCredentials(context))
    } catch (error) {
      if (error instanceof PluginNotConfiguredError) {
        return outcome({
          status: 'invalid',
          message: `${platform} is missing settings: ${error.missing.join(', ')}.`,
        })
      }
      logger.warn({ plugin: pluginId, error: (error as Error).message }, 'credentials check failed')
      return outcome({
        status: 'unverifiable',
        message: `The check could not run: ${(error as Error).message}`,
      })
    }
  }
}
