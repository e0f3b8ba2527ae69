import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import type { PreviewHints, PublisherLimits } from '@herald/plugin-sdk'
import MediaAsset from '#models/media_asset'
import SocialAccount from '#models/social_account'
import type Workspace from '#models/workspace'
import { Publishers } from '#plugin_host/publishers'
import type { ComposerDraft } from '#publishing/composer_draft'
import type { ContentPart } from '#publishing/content'
import { countCharacters, counterTone } from '#publishing/character_count'
import { validateTargets } from '#publishing/validate_targets'

/** An account the composer offers */
export interface AccountOption {
  account: SocialAccount
  platform: string
  /** Publishing through it is possible (plugin enabled, account active) */
  usable: boolean
  limits?: PublisherLimits
  preview?: PreviewHints
}

/** One part of a card, with its counter */
export interface CardPart extends ContentPart {
  count: number
  max: number
  tone: 'ok' | 'near' | 'over'
  media: MediaAsset[]
}

/** What a selected account will publish, as the composer shows it */
export interface TargetCard {
  option: AccountOption
  customized: boolean
  parts: CardPart[]
  canThread: boolean
  /** Problems the publisher's validate finds now (shown live, and as 422 on send) */
  issues: string[]
  /** First link of the first part, for networks that show link cards */
  link?: string
  /** CSS class of the network's media aspect (aspect-1-1, aspect-16-9...) */
  aspectClass: string
  truncated?: { shown: string; label: string }
}

export interface ComposerView {
  draft: ComposerDraft
  options: AccountOption[]
  cards: TargetCard[]
  media: MediaAsset[]
  library: MediaAsset[]
  /** Base text counters: one per distinct network among the non-customised cards */
  baseCounters: { platform: string; count: number; max: number; tone: string }[]
  /** "Europe/Berlin, UTC+01:00" at the chosen date (DST-aware) */
  zoneLabel: string
}

const URL_PATTERN = /https?:\/\/[^\s<>"']+/i

/**
 * The composer's read model: accounts with their network's rules, the draft's
 * media, one card per chosen account with counters, preview and the
 * publisher's validation, computed from a draft (typed or saved).
 */
@inject()
export class ComposerQuery {
  constructor(private publishers: Publishers) {}

  async execute(workspace: Workspace, draft: ComposerDraft): Promise<ComposerView> {
    const accounts = await SocialAccount.query()
      .where('workspace_id', workspace.id)
      .whereNot('status', 'disabled')
      .orderBy('display_name')
    // The picker (and the cards and counters after it) in network order
    const options = this.publishers
      .inNetworkOrder(accounts, (account) => account.pluginId)
      .map((account): AccountOption => {
        const entry = this.publishers.find(account.pluginId)
        return {
          account,
          platform: this.publishers.displayName(account.pluginId),
          usable: Boolean(entry) && account.status === 'active',
          limits: entry?.publisher.limits,
          preview: entry?.publisher.preview,
        }
      })

    const ids = [
      ...new Set([
        ...draft.mediaIds,
        ...[...draft.variants.values()].flat().flatMap((part) => part.mediaIds),
      ]),
    ]
    const [assets, library] = await Promise.all([
      ids.length
        ? MediaAsset.query().where('workspace_id', workspace.id).whereIn('id', ids)
        : Promise.resolve([] as MediaAsset[]),
      MediaAsset.query()
        .where('workspace_id', workspace.id)
        .orderBy('created_at', 'desc')
        .limit(48),
    ])
    const byId = new Map(assets.map((asset) => [asset.id, asset]))
    const mediaOf = (mediaIds: number[]) =>
      mediaIds.map((id) => byId.get(id)).filter((asset): asset is MediaAsset => Boolean(asset))

    const selected = options.filter((option) => draft.accountIds.includes(option.account.id))
    const issues = validateTargets(
      this.publishers,
      selected.map((option) => ({
        accountId: option.account.id,
        pluginId: option.account.pluginId,
        parts: this.#partsOf(draft, option.account.id),
      })),
      byId
    )
    const cards = selected.map((option) =>
      this.#card(option, draft, mediaOf, issues[`targets.${option.account.id}`] ?? [])
    )

    const baseCounters = new Map<string, ComposerView['baseCounters'][number]>()
    for (const card of cards) {
      if (card.customized || !card.option.limits) continue
      baseCounters.set(card.option.platform, {
        platform: card.option.platform,
        count: card.parts[0].count,
        max: card.parts[0].max,
        tone: card.parts[0].tone,
      })
    }
    return {
      draft,
      options,
      cards,
      media: mediaOf(draft.mediaIds),
      library,
      baseCounters: [...baseCounters.values()],
      zoneLabel: zoneLabel(workspace.timezone, draft),
    }
  }

  #partsOf(draft: ComposerDraft, accountId: number): ContentPart[] {
    return draft.variants.get(accountId) ?? [{ text: draft.baseText, mediaIds: draft.mediaIds }]
  }

  #card(
    option: AccountOption,
    draft: ComposerDraft,
    mediaOf: (ids: number[]) => MediaAsset[],
    issues: string[]
  ): TargetCard {
    const limits = option.limits
    const parts = this.#partsOf(draft, option.account.id).map((part): CardPart => {
      const count = countCharacters(part.text, limits?.countCharacters ?? 'plain')
      const max = limits?.maxChars ?? 0
      return { ...part, count, max, tone: counterTone(count, max), media: mediaOf(part.mediaIds) }
    })
    const hints = option.preview ?? {}
    const first = parts[0]?.text ?? ''
    const card: TargetCard = {
      option,
      customized: draft.variants.has(option.account.id),
      parts,
      canThread: (limits?.maxThreadParts ?? 1) > 1,
      issues,
      aspectClass: `aspect-${(hints.mediaAspect ?? '1:1').replace(':', '-').replace('.', '_')}`,
    }
    if (hints.linkCard) card.link = URL_PATTERN.exec(first)?.[0]
    if (hints.truncateAt && [...first].length > hints.truncateAt) {
      card.truncated = {
        shown: [...first].slice(0, hints.truncateAt).join('').trimEnd(),
        label: hints.showMoreLabel ?? '…more',
      }
    }
    return card
  }
}

function zoneLabel(zone: string, draft: ComposerDraft) {
  const chosen =
    draft.scheduleDate && draft.scheduleTime
      ? DateTime.fromISO(`${draft.scheduleDate}T${draft.scheduleTime}`, { zone })
      : undefined
  const at = chosen?.isValid ? chosen : DateTime.now().setZone(zone)
  return `${zone}, UTC${at.toFormat('ZZ')}`
}
