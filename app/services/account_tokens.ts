import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import { AuthExpired, isPluginError, type TokenSet } from '@herald/plugin-sdk'
import secrets, { type SecretsKeyring } from '#services/secrets'
import AccountSecret from '#models/account_secret'
import type SocialAccount from '#models/social_account'
import { Publishers } from '#plugin_host/publishers'
import { MarkAccountNeedsReconnect } from '#actions/accounts/mark_account_needs_reconnect'

/** Tokens are refreshed when they expire within this margin */
export const REFRESH_MARGIN_MS = 5 * 60_000

/** Stored tokens and the version of the row they were read from */
export interface StoredTokens extends TokenSet {
  version: number
}

export interface FreshOptions {
  /** Refresh even when the expiry looks far away */
  force?: boolean
  /**
   * The access token the platform just refused: refresh only if it is still the
   * stored one (another job may have refreshed meanwhile).
   */
  rejected?: string
  /** Refresh when the expiry is closer than this (default REFRESH_MARGIN_MS) */
  marginMs?: number
  /** The account's secrets row as just read elsewhere (the pipeline's claim), to skip a read */
  stored?: Pick<AccountSecret, 'accessToken' | 'refreshToken' | 'version'> | null
}

type Column = 'access_token' | 'refresh_token'

/** Per-account mutex of this process: callers of fresh() for one account run one at a time */
const refreshQueues = new Map<number, Promise<unknown>>()

/**
 * Platform tokens of social accounts: encrypted at rest (AES-256-GCM under the
 * secrets keyring, each value bound to its account and column), never logged,
 * refreshed just in time.
 *
 * A refresh happens once however many jobs ask at the same moment: callers in
 * one process queue behind a per-account mutex, and processes serialise on the
 * account's `account_secrets` row (SELECT ... FOR UPDATE). Whoever gets the lock
 * second reads the tokens again and finds them fresh. That matters on X, whose
 * refresh tokens rotate and are single-use: a second refresh with the spent
 * token would be refused and the account lost.
 */
@inject()
export class AccountTokens {
  /** The keyring ciphertexts are made with (tests swap it to exercise rotation) */
  keyring: SecretsKeyring = secrets

  constructor(private publishers: Publishers) {}

  /** The associated data a ciphertext is bound to */
  static context(accountId: number, column: Column) {
    return `account:${accountId}:${column}`
  }

  /** The account's tokens, decrypted, or null when none are stored */
  async read(account: SocialAccount, client?: QueryClientContract): Promise<StoredTokens | null> {
    const row = await AccountSecret.query({ client }).where('social_account_id', account.id).first()
    return row ? this.#decrypt(account, row) : null
  }

  /**
   * Stores tokens (connect, reconnect, refresh). A missing refresh token keeps
   * the stored one: platforms often omit it when it did not change, and an
   * empty one would lose the account.
   */
  async store(
    account: SocialAccount,
    tokens: TokenSet,
    client?: TransactionClientContract
  ): Promise<void> {
    if (!client) {
      return db.transaction((trx) => this.store(account, tokens, trx))
    }
    if (!tokens.accessToken) throw new Error('Refusing to store an empty access token')
    const existing = await AccountSecret.query({ client })
      .where('social_account_id', account.id)
      .forUpdate()
      .first()
    const refreshToken = tokens.refreshToken
      ? this.keyring.encrypt(
          tokens.refreshToken,
          AccountTokens.context(account.id, 'refresh_token')
        )
      : (existing?.refreshToken ?? null)
    const accessToken = this.keyring.encrypt(
      tokens.accessToken,
      AccountTokens.context(account.id, 'access_token')
    )
    if (existing) {
      existing.useTransaction(client)
      existing.merge({ accessToken, refreshToken, version: existing.version + 1 })
      await existing.save()
    } else {
      await AccountSecret.create(
        { socialAccountId: account.id, accessToken, refreshToken, version: 1 },
        { client }
      )
    }
    account.useTransaction(client)
    account.tokenExpiresAt = tokens.expiresAt ? DateTime.fromJSDate(tokens.expiresAt) : null
    if (tokens.scopes && tokens.scopes.length > 0) account.scopes = tokens.scopes
    await account.save()
  }

  /** Deletes the account's tokens (disconnect) */
  async forget(account: SocialAccount, client?: QueryClientContract) {
    await AccountSecret.query({ client }).where('social_account_id', account.id).delete()
  }

  /**
   * Tokens good to use now: refreshed first when they expire within the margin,
   * when `force` is set, or when `rejected` is still the stored access token.
   * A refresh the platform refuses for good marks the account `needs_reconnect`
   * and throws AuthExpired; a temporary failure throws the plugin's error.
   */
  async fresh(account: SocialAccount, options: FreshOptions = {}): Promise<StoredTokens> {
    // Tokens good to use need no lock (an expiry only ever moves forward, so a stale model errs
    // towards the locked path, which reads everything again).
    const stored = options.stored
      ? this.#decrypt(account, options.stored)
      : await this.read(account)
    if (stored && !this.#due(stored, options)) return stored
    return this.#queued(account, options)
  }

  #queued(account: SocialAccount, options: FreshOptions): Promise<StoredTokens> {
    const previous = refreshQueues.get(account.id) ?? Promise.resolve()
    const mine = previous.then(() => this.#fresh(account, options))
    const settled = mine.catch(() => {})
    refreshQueues.set(account.id, settled)
    settled.then(() => {
      if (refreshQueues.get(account.id) === settled) refreshQueues.delete(account.id)
    })
    return mine
  }

  async #fresh(account: SocialAccount, options: FreshOptions): Promise<StoredTokens> {
    // Another process may have refreshed since this model was loaded.
    await account.refresh()
    const stored = await this.read(account)
    if (!stored) {
      throw await this.#reconnect(account, 'Herald holds no tokens for this account. Reconnect it.')
    }
    if (!this.#due(stored, options)) return stored

    const entry = this.publishers.get(account.pluginId)
    const refresh = entry.publisher.refresh
    if (!refresh) {
      throw await this.#reconnect(
        account,
        `${entry.plugin.manifest.displayName} tokens cannot be refreshed and no longer work. Reconnect the account.`
      )
    }
    // Settings are read before the row lock, so the transaction holds a single connection
    // however many accounts refresh at once (reading them inside needed a second one each,
    // and ten concurrent refreshes emptied the pool).
    const ctx = await this.publishers.context(entry, { timeoutMs: 60_000 })

    const outcome = await db.transaction(async (trx) => {
      const row = await AccountSecret.query({ client: trx })
        .where('social_account_id', account.id)
        .forUpdate()
        .first()
      if (!row) return { reconnect: 'Herald holds no tokens for this account. Reconnect it.' }
      account.useTransaction(trx)
      await account.refresh()
      const current = this.#decrypt(account, row)
      if (!this.#due(current, options)) return { tokens: current }
      let next: TokenSet
      try {
        next = await refresh.call(entry.publisher, ctx, current)
      } catch (error) {
        if (isPluginError(error) && error.kind === 'AuthExpired') {
          return { reconnect: refusalReason(entry.plugin.manifest.displayName, error.message) }
        }
        throw error
      }
      await this.store(account, next, trx)
      account.lastRefreshedAt = DateTime.now()
      if (account.status === 'needs_reconnect') {
        account.status = 'active'
        account.statusReason = null
      }
      await account.save()
      return { tokens: { ...next, version: row.version + 1 } }
    })
    if ('reconnect' in outcome) throw await this.#reconnect(account, outcome.reconnect!)
    return outcome.tokens
  }

  #due(tokens: StoredTokens, options: FreshOptions) {
    if (options.rejected !== undefined) return tokens.accessToken === options.rejected
    if (options.force) return true
    if (!tokens.expiresAt) return false
    return tokens.expiresAt.getTime() - Date.now() < (options.marginMs ?? REFRESH_MARGIN_MS)
  }

  #decrypt(
    account: SocialAccount,
    row: Pick<AccountSecret, 'accessToken' | 'refreshToken' | 'version'>
  ): StoredTokens {
    const tokens: StoredTokens = {
      accessToken: this.keyring.decrypt(
        row.accessToken,
        AccountTokens.context(account.id, 'access_token')
      ),
      version: row.version,
      scopes: account.scopes,
    }
    if (row.refreshToken) {
      tokens.refreshToken = this.keyring.decrypt(
        row.refreshToken,
        AccountTokens.context(account.id, 'refresh_token')
      )
    }
    if (account.tokenExpiresAt) tokens.expiresAt = account.tokenExpiresAt.toJSDate()
    return tokens
  }

  async #reconnect(account: SocialAccount, reason: string) {
    await new MarkAccountNeedsReconnect().execute(account, reason)
    return new AuthExpired(reason)
  }
}

/** The platform's refusal of a refresh, as a sentence for the Accounts page */
function refusalReason(platform: string, message: string) {
  const detail = message.trim().replace(/\.$/, '')
  return `${platform} refused to renew access (${detail}). Reconnect the account.`
}
