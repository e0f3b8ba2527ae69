import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import SocialAccount from '#models/social_account'
import type Workspace from '#models/workspace'
import { Publishers } from '#plugin_host/publishers'
import { PublisherSetupQuery, type PublisherSetup } from '#queries/publisher_setup_query'
import { RECONNECT_WARNING_DAYS } from '#actions/accounts/refresh_expiring_tokens'

/** Target states whose post still has to go out: a reconnect-needing account puts them at risk */
export const AT_RISK_STATUSES = ['scheduled', 'queued', 'retrying'] as const

/** A scheduled post an account needing reconnect would fail */
export interface AtRiskPost {
  postId: number
  excerpt: string
  /** When it is due (the target's next run, else the post's time) */
  at: DateTime | null
}

export interface AccountView {
  id: number
  pluginId: string
  platform: string
  handle: string
  handleLabel: string
  displayName: string
  avatarUrl: string | null
  initials: string
  status: SocialAccount['status']
  statusLabel: string
  statusTone: 'green' | 'red' | 'grey'
  statusReason: string | null
  /** Token lifetime in words, with a tone (never colour alone: the words carry it) */
  expiry: { label: string; tone: 'green' | 'grey' | 'amber' | 'red' }
  /** Accounts that cannot renew, within the warning window: reconnect before this */
  reconnectBefore: DateTime | null
  canRefresh: boolean
  scopes: { needed: string[]; granted: string[]; missing: string[] }
  connectedAt: DateTime
  disconnectedAt: DateTime | null
  atRisk: AtRiskPost[]
  atRiskCount: number
}

const AT_RISK_SHOWN = 10

/**
 * How an account's handle reads: `@name` for user names, as is for emails and
 * the like, `ID 123` when the platform has no handle (a Facebook Page's id).
 */
export function handleLabel(handle: string, externalId: string) {
  if (handle === externalId) return `ID ${handle}`
  return /^[\w.]+$/.test(handle) ? `@${handle}` : handle
}

/** First words of a text, for lists */
export function excerpt(text: string, max = 80) {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat || '(no text)'
  const cut = flat.slice(0, max)
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 15)).trimEnd()}…`
}

/**
 * The Accounts page: the workspace's accounts (connected, needing a
 * reconnect, disconnected) with their token status in the workspace's
 * timezone, permissions granted against those the plugin needs, the posts a
 * broken account puts at risk; and the platforms to connect with their setup.
 * Reads no token: whether an account can renew is whether a refresh-token
 * ciphertext exists.
 */
@inject()
export class AccountsPageQuery {
  constructor(
    private publishers: Publishers,
    private setups: PublisherSetupQuery
  ) {}

  async execute(workspace: Workspace) {
    const statusOrder = ['needs_reconnect', 'active', 'disabled']
    // Those needing a reconnect first, then by network, then by name
    const found = await SocialAccount.query()
      .where('workspace_id', workspace.id)
      .orderBy('display_name')
    const rows = this.publishers
      .inNetworkOrder(found, (row) => row.pluginId)
      .sort((a, b) => statusOrder.indexOf(a.status) - statusOrder.indexOf(b.status))
    const withRefreshToken = await db
      .from('account_secrets')
      .whereIn(
        'social_account_id',
        rows.map((row) => row.id)
      )
      .whereNotNull('refresh_token')
      .select('social_account_id')
    const refreshable = new Set(withRefreshToken.map((row) => row.social_account_id as number))
    const risks = await this.#atRisk(
      workspace,
      rows.filter((row) => row.status === 'needs_reconnect').map((row) => row.id)
    )
    const accounts = rows.map((row) =>
      this.#view(row, workspace, refreshable.has(row.id), risks.get(row.id))
    )
    const platforms: PublisherSetup[] = await this.setups.all()
    return {
      connected: accounts.filter((account) => account.status !== 'disabled'),
      disconnected: accounts.filter((account) => account.status === 'disabled'),
      platforms,
      needsReconnect: accounts.filter((account) => account.status === 'needs_reconnect').length,
    }
  }

  #view(
    row: SocialAccount,
    workspace: Workspace,
    canRefresh: boolean,
    risk: { posts: AtRiskPost[]; count: number } | undefined
  ): AccountView {
    const entry = this.publishers.find(row.pluginId)
    const needed = entry ? [...entry.publisher.oauth.scopes] : []
    const status = {
      active: { label: 'Active', tone: 'green' as const },
      needs_reconnect: { label: 'Needs reconnect', tone: 'red' as const },
      disabled: { label: 'Disconnected', tone: 'grey' as const },
    }[row.status]
    const expiresAt = row.tokenExpiresAt?.setZone(workspace.timezone) ?? null
    const reconnectBefore =
      row.status === 'active' &&
      !canRefresh &&
      expiresAt &&
      expiresAt.diffNow('days').days < RECONNECT_WARNING_DAYS
        ? expiresAt
        : null
    return {
      id: row.id,
      pluginId: row.pluginId,
      platform: this.publishers.displayName(row.pluginId),
      handle: row.handle,
      handleLabel: handleLabel(row.handle, row.externalId),
      displayName: row.displayName,
      avatarUrl: row.avatarUrl,
      initials: initials(row.displayName),
      status: row.status,
      statusLabel: status.label,
      statusTone: status.tone,
      statusReason: row.statusReason,
      expiry: expiryWords(row.status, expiresAt, canRefresh),
      reconnectBefore,
      canRefresh,
      scopes: { needed, granted: row.scopes, missing: row.missingScopes(needed) },
      connectedAt: row.connectedAt.setZone(workspace.timezone),
      disconnectedAt: row.disconnectedAt?.setZone(workspace.timezone) ?? null,
      atRisk: risk?.posts ?? [],
      atRiskCount: risk?.count ?? 0,
    }
  }

  async #atRisk(workspace: Workspace, accountIds: number[]) {
    const byAccount = new Map<number, { posts: AtRiskPost[]; count: number }>()
    if (accountIds.length === 0) return byAccount
    const rows = await db
      .from('post_targets as t')
      .join('posts as p', 'p.id', 't.post_id')
      .where('t.workspace_id', workspace.id)
      .whereIn('t.social_account_id', accountIds)
      .whereIn('t.status', [...AT_RISK_STATUSES])
      .orderByRaw('coalesce(t.due_at, p.scheduled_at) asc nulls last')
      .select('t.social_account_id', 'p.id', 'p.base_text')
      .select(db.raw('coalesce(t.due_at, p.scheduled_at) as at'))
    for (const row of rows) {
      const entry = byAccount.get(row.social_account_id) ?? { posts: [], count: 0 }
      entry.count++
      if (entry.posts.length < AT_RISK_SHOWN) {
        entry.posts.push({
          postId: row.id,
          excerpt: excerpt(row.base_text ?? ''),
          at: row.at ? DateTime.fromJSDate(row.at).setZone(workspace.timezone) : null,
        })
      }
      byAccount.set(row.social_account_id, entry)
    }
    return byAccount
  }
}

function initials(name: string) {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => [...part][0]?.toUpperCase() ?? '')
  return letters.join('') || '?'
}

const FORMAT = 'ccc d LLL yyyy, HH:mm'

function expiryWords(
  status: SocialAccount['status'],
  expiresAt: DateTime | null,
  canRefresh: boolean
): AccountView['expiry'] {
  if (status === 'disabled') return { label: 'No token (disconnected)', tone: 'grey' }
  if (status === 'needs_reconnect') {
    return { label: 'No longer works: reconnect to renew it', tone: 'red' }
  }
  if (!expiresAt) return { label: 'Does not expire', tone: 'green' }
  const when = expiresAt.toFormat(FORMAT)
  if (expiresAt.toMillis() <= Date.now()) return { label: `Expired on ${when}`, tone: 'red' }
  if (canRefresh)
    return { label: `Renews automatically (current token until ${when})`, tone: 'green' }
  const days = Math.ceil(expiresAt.diffNow('days').days)
  const left = days <= 1 ? 'within a day' : `in ${days} days`
  return {
    label: `Expires ${when} (${left})`,
    tone: days <= RECONNECT_WARNING_DAYS ? 'amber' : 'grey',
  }
}
