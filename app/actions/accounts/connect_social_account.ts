import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import type { AccountProfile, TokenSet } from '@herald/plugin-sdk'
import SocialAccount from '#models/social_account'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import { AccountTokens } from '#services/account_tokens'
import { ConnectionProblem } from '#services/connection_problem'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'
import { ResumeAccountTargets } from '#actions/publishing/resume_account_targets'

export interface ConnectInput {
  workspace: Workspace
  user: User
  pluginId: string
  /** The platform's name, for messages */
  platform: string
  profile: AccountProfile
  tokens: TokenSet
  /** Reconnect: the account whose tokens this sign-in renews (it must be the same platform account) */
  accountId?: number
}

export interface ConnectResult {
  account: SocialAccount
  /** False when an existing row was renewed (reconnect, or the same account connected again) */
  created: boolean
}

/**
 * Stores a signed-in platform account in a workspace: one row per
 * (workspace, plugin, external id), so connecting an account again (or
 * reconnecting it, or reconnecting a disconnected one) renews that row and
 * keeps its id, posts and history. Its tokens go through AccountTokens
 * (encrypted) in the same transaction.
 */
@inject()
export class ConnectSocialAccount {
  constructor(private tokens: AccountTokens) {}

  async execute(input: ConnectInput): Promise<ConnectResult> {
    let result: ConnectResult
    try {
      result = await db.transaction((trx) => this.#connect(input, trx))
    } catch (error) {
      // Two sign-ins of a new account at once: the second finds the row the first inserted.
      if ((error as { code?: string }).code !== '23505') throw error
      result = await db.transaction((trx) => this.#connect(input, trx))
    }
    // Posts that stopped for this account's reconnect go out now.
    if (!result.created) await new ResumeAccountTargets().execute(result.account.id)
    return result
  }

  async #connect(input: ConnectInput, trx: TransactionClientContract): Promise<ConnectResult> {
    const { workspace, profile, pluginId } = input
    let account: SocialAccount | null
    if (input.accountId !== undefined) {
      account = await SocialAccount.query({ client: trx })
        .where({ id: input.accountId, workspace_id: workspace.id, plugin_id: pluginId })
        .forUpdate()
        .first()
      if (!account) {
        throw new ConnectionProblem(
          'The account to reconnect is no longer in this workspace.',
          workspace.slug
        )
      }
      if (account.externalId !== profile.externalId) {
        throw new ConnectionProblem(
          `You signed in to ${input.platform} as ${profile.displayName} (${profile.handle}), but the account to reconnect is ${account.displayName} (${account.handle}). Nothing was changed: sign in to ${input.platform} as ${account.displayName}, then reconnect again.`,
          workspace.slug
        )
      }
    } else {
      account = await SocialAccount.query({ client: trx })
        .where({ workspace_id: workspace.id, plugin_id: pluginId, external_id: profile.externalId })
        .forUpdate()
        .first()
    }
    const created = account === null
    const row = account ?? new SocialAccount()
    if (created) {
      row.merge({ workspaceId: workspace.id, pluginId, externalId: profile.externalId })
    }
    const wasStatus = row.status
    row.merge({
      handle: profile.handle.slice(0, 191),
      displayName: profile.displayName.slice(0, 191),
      avatarUrl: profile.avatarUrl ?? null,
      status: 'active',
      statusReason: null,
      disconnectedAt: null,
      connectedAt: DateTime.now(),
      connectedById: input.user.id,
    })
    row.useTransaction(trx)
    await row.save()
    await this.tokens.store(row, input.tokens, trx)
    await new RecordAuditEvent().execute(
      {
        action: created ? 'account.connected' : 'account.reconnected',
        userId: input.user.id,
        workspaceId: workspace.id,
        subject: { type: 'social_account', id: row.id },
        meta: { plugin: pluginId, handle: row.handle, ...(created ? {} : { was: wasStatus }) },
      },
      trx
    )
    return { account: row, created }
  }
}
