import { inject } from '@adonisjs/core'
import type Generation from '#models/generation'
import type Post from '#models/post'
import type User from '#models/user'
import type { WorkspaceAccess } from '#services/workspace_access'
import type { ComposerDraft } from '#publishing/composer_draft'
import { ComposerQuery } from '#queries/composer_query'
import { AiPanelQuery } from '#queries/ai_panel_query'

/**
 * Everything the composer page renders: the composer (accounts, cards,
 * counters, previews) and, beside it, the AI panels, whose target networks
 * are the networks of the accounts chosen.
 */
@inject()
export class ComposerPageQuery {
  constructor(
    private composer: ComposerQuery,
    private panels: AiPanelQuery
  ) {}

  async execute(
    access: WorkspaceAccess,
    user: User,
    draft: ComposerDraft,
    options: { post?: Post | null; generation?: Generation } = {}
  ) {
    const composer = await this.composer.execute(access.workspace, draft)
    const networks = [...new Set(composer.cards.map((card) => card.option.account.pluginId))]
    const aiPanel = await this.panels.execute(access, user, {
      textareaId: 'composer-text',
      networks,
      generation: options.generation,
    })
    return { composer, aiPanel, post: options.post ?? null }
  }
}
