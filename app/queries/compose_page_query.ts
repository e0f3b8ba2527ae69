import { inject } from '@adonisjs/core'
import type User from '#models/user'
import type Generation from '#models/generation'
import type { WorkspaceAccess } from '#services/workspace_access'
import { PluginRegistry } from '#plugin_host/registry'
import { AiPanelQuery } from '#queries/ai_panel_query'

/**
 * The minimal composer (the publishing work replaces it): the networks a
 * post can target (enabled publisher plugins, with their limits) and the AI
 * panels' state.
 */
@inject()
export class ComposePageQuery {
  constructor(
    private registry: PluginRegistry,
    private panel: AiPanelQuery
  ) {}

  async execute(
    access: WorkspaceAccess,
    user: User,
    options: { networks?: string[]; generation?: Generation; textareaId?: string } = {}
  ) {
    const networks = this.registry.publishers().map(({ plugin, implementation }) => ({
      id: plugin.id,
      name: plugin.manifest.displayName,
      maxChars: implementation.limits.maxChars,
    }))
    const chosen = options.networks ?? networks.map((network) => network.id)
    const aiPanel = await this.panel.execute(access, user, {
      textareaId: options.textareaId ?? 'composer-text',
      networks: chosen,
      generation: options.generation,
    })
    return { networks, chosen, aiPanel }
  }
}
