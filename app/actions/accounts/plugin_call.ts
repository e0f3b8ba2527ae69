import { isPluginError, Permanent } from '@herald/plugin-sdk'
import { PluginNotConfiguredError } from '#plugin_host/context_factory'
import { ConnectionProblem } from '#services/connection_problem'

/**
 * Runs a publisher call made while connecting an account; its failures
 * become ConnectionProblems in the plugin's own words (they are written for
 * people, and never hold tokens).
 */
export async function connectionCall<T>(
  work: () => Promise<T>,
  what: { platform: string; doing: string; workspaceSlug: string }
): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof ConnectionProblem) throw error
    if (error instanceof PluginNotConfiguredError) {
      throw new ConnectionProblem(
        `${what.platform} is not set up on this Herald: ${error.message}.`,
        what.workspaceSlug
      )
    }
    if (isPluginError(error)) {
      const words = error instanceof Permanent ? error.userMessage : error.message
      const retry = error.kind === 'Transient' || error.kind === 'RateLimited'
      throw new ConnectionProblem(
        `Herald could not ${what.doing}: ${words.replace(/\.$/, '')}.${retry ? ' Nothing was connected; try again in a few minutes.' : ''}`,
        what.workspaceSlug
      )
    }
    throw error
  }
}
