import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import type { AccountProfile, TokenSet } from '@herald/plugin-sdk'
import secrets, { type SecretsKeyring } from '#services/secrets'
import PendingAccountConnection from '#models/pending_account_connection'
import type User from '#models/user'
import type Workspace from '#models/workspace'

/** How long a person has to pick the accounts to add after signing in */
export const PENDING_TTL_MINUTES = 15

/** One account a sign-in reached, with its own tokens (kept server-side, encrypted) */
export interface Candidate {
  externalId: string
  handle: string
  displayName: string
  avatarUrl?: string
  tokens: TokenSet
}

/** A pending connection, decrypted */
export interface PendingConnection {
  row: PendingAccountConnection
  candidates: Candidate[]
}

interface StoredCandidate extends Omit<Candidate, 'tokens'> {
  tokens: Omit<TokenSet, 'expiresAt'> & { expiresAt?: string }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The accounts a sign-in reached (Facebook Pages, Instagram business
 * accounts) while the person picks which to add. Stored in
 * `pending_account_connections` as one AES-256-GCM ciphertext bound to its
 * row, so no profile or token ever goes through the browser or the session
 * cookie. Only the user who signed in, in the same workspace, can read it.
 */
export class PendingConnections {
  constructor(private keyring: SecretsKeyring = secrets) {}

  static context(id: string) {
    return `pending_connection:${id}`
  }

  async create(input: {
    user: User
    workspace: Workspace
    pluginId: string
    accounts: AccountProfile[]
    tokens: TokenSet
  }): Promise<PendingAccountConnection> {
    await PendingAccountConnection.query().where('expires_at', '<', DateTime.now().toSQL()).delete()
    const id = randomUUID()
    const candidates: StoredCandidate[] = input.accounts.map((account) => {
      const tokens = account.tokens ?? input.tokens
      const stored: StoredCandidate = {
        externalId: account.externalId,
        handle: account.handle,
        displayName: account.displayName,
        tokens: {
          accessToken: tokens.accessToken,
          ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
          ...(tokens.scopes ? { scopes: tokens.scopes } : {}),
          ...(tokens.expiresAt ? { expiresAt: tokens.expiresAt.toISOString() } : {}),
        },
      }
      if (account.avatarUrl) stored.avatarUrl = account.avatarUrl
      return stored
    })
    return PendingAccountConnection.create({
      id,
      userId: input.user.id,
      workspaceId: input.workspace.id,
      pluginId: input.pluginId,
      candidates: this.keyring.encrypt(JSON.stringify(candidates), PendingConnections.context(id)),
      expiresAt: DateTime.now().plus({ minutes: PENDING_TTL_MINUTES }),
    })
  }

  /** Whether the id is a pending connection of another person or workspace (a 404, not "expired") */
  async belongsElsewhere(id: string, user: User, workspace: Workspace): Promise<boolean> {
    if (!UUID.test(id)) return false
    const row = await PendingAccountConnection.query()
      .where('id', id)
      .where((query) => query.whereNot('user_id', user.id).orWhereNot('workspace_id', workspace.id))
      .first()
    return row !== null
  }

  /** The pending connection of this user in this workspace, or null (unknown, someone else's, expired) */
  async find(id: string, user: User, workspace: Workspace): Promise<PendingConnection | null> {
    if (!UUID.test(id)) return null
    const row = await PendingAccountConnection.query()
      .where({ id, user_id: user.id, workspace_id: workspace.id })
      .where('expires_at', '>', DateTime.now().toSQL())
      .first()
    if (!row) return null
    const stored = JSON.parse(
      this.keyring.decrypt(row.candidates, PendingConnections.context(row.id))
    ) as StoredCandidate[]
    const candidates = stored.map(({ tokens, ...profile }) => {
      const { expiresAt, ...rest } = tokens
      return {
        ...profile,
        tokens: { ...rest, ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}) },
      }
    })
    return { row, candidates }
  }

  async delete(row: PendingAccountConnection) {
    await PendingAccountConnection.query().where('id', row.id).delete()
  }
}
