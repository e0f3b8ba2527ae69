import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import logger from '@adonisjs/core/services/logger'
import type { PluginContext, TokenSet } from '@herald/plugin-sdk'
import { appUrl } from '#config/app'
import { Publishers, type PublisherEntry } from '#plugin_host/publishers'
import { PluginNotConfiguredError } from '#plugin_host/context_factory'
import { PluginUnavailableError } from '#plugin_host/registry'
import {
  applyExtraParams,
  createOAuthDriver,
  OAuthEndpointError,
  toTokenSet,
  type HostedOAuthDriver,
} from '#plugin_host/oauth_drivers'
import { ConnectionProblem } from '#services/connection_problem'
import type Workspace from '#models/workspace'
import type SocialAccount from '#models/social_account'

/** What the session remembers between the redirect and the callback, per plugin */
export interface OAuthFlow {
  workspaceId: number
  workspaceSlug: string
  /** Set for a reconnect: the account whose tokens the sign-in renews */
  accountId?: number
  userId: number
  startedAt: number
}

/** A finished sign-in: the flow it belonged to and the platform's tokens */
export interface SignIn {
  flow: OAuthFlow
  entry: PublisherEntry
  context: PluginContext
  tokens: TokenSet
}

const SESSION_KEY = 'account_oauth_flows'
/** A sign-in left open longer than this is refused (start again) */
const FLOW_TTL_MS = 30 * 60_000

/** The fixed callback URL of a publisher on this instance, registered in the platform's app */
export function callbackUrlFor(pluginId: string) {
  return `${appUrl.replace(/\/+$/, '')}/oauth/${encodeURIComponent(pluginId)}/callback`
}

/**
 * The OAuth round trip of a publisher (connect and reconnect): builds the
 * plugin's Ally driver for this request, sends the person to the platform,
 * and on the way back checks consent, state and PKCE and exchanges the code.
 * Which workspace (and which account, for a reconnect) started the flow is
 * kept in the session, since the callback URL is one per platform. Every
 * failure becomes a ConnectionProblem in words; tokens are never logged.
 */
@inject()
export class AccountOAuth {
  constructor(private publishers: Publishers) {}

  async start(
    ctx: HttpContext,
    pluginId: string,
    target: { workspace: Workspace; account?: SocialAccount }
  ) {
    const slug = target.workspace.slug
    const { entry, context } = await this.#publisher(pluginId, slug)
    const driver = this.#driver(ctx, entry, context)
    const flows = this.#flows(ctx)
    flows[pluginId] = {
      workspaceId: target.workspace.id,
      workspaceSlug: slug,
      userId: ctx.auth.getUserOrFail().id,
      startedAt: Date.now(),
      ...(target.account ? { accountId: target.account.id } : {}),
    }
    ctx.session.put(SESSION_KEY, flows)
    await driver.redirect(applyExtraParams(entry.publisher.oauth))
  }

  /** Checks the platform's answer on the callback and exchanges the code for tokens */
  async finish(ctx: HttpContext, pluginId: string): Promise<SignIn> {
    const name = this.publishers.displayName(pluginId)
    const flows = this.#flows(ctx)
    const flow = flows[pluginId]
    delete flows[pluginId]
    ctx.session.put(SESSION_KEY, flows)
    if (!flow || flow.userId !== ctx.auth.getUserOrFail().id) {
      throw new ConnectionProblem(
        `Herald received an answer from ${name}, but no connection to ${name} was started in this browser session (or it was already finished). Start again from the workspace's Accounts page.`
      )
    }
    const slug = flow.workspaceSlug
    if (Date.now() - flow.startedAt > FLOW_TTL_MS) {
      throw new ConnectionProblem(
        `The connection to ${name} took longer than 30 minutes and was abandoned. Start it again.`,
        slug
      )
    }
    const { entry, context } = await this.#publisher(pluginId, slug)
    const driver = this.#driver(ctx, entry, context)
    if (driver.accessDenied()) {
      throw new ConnectionProblem(
        `${name} says the permission was not given, so nothing was connected. To connect, choose ${name} again and approve Herald's access.`,
        slug
      )
    }
    if (driver.hasError()) {
      throw new ConnectionProblem(this.#providerError(ctx, name, driver.getError()), slug)
    }
    if (driver.stateMisMatch()) {
      throw new ConnectionProblem(
        `Herald could not verify this answer from ${name}: it does not match the connection started in this browser (it may come from another tab, an old link, or someone else's sign-in). Nothing was connected; start again.`,
        slug
      )
    }
    try {
      const token = await driver.accessToken()
      return { flow, entry, context, tokens: toTokenSet(token) }
    } catch (error) {
      throw new ConnectionProblem(this.#exchangeError(name, entry, error), slug)
    }
  }

  async #publisher(pluginId: string, slug: string) {
    try {
      const entry = this.publishers.get(pluginId)
      const context = await this.publishers.context(entry, { timeoutMs: 60_000 })
      return { entry, context }
    } catch (error) {
      const name = this.publishers.displayName(pluginId)
      if (error instanceof PluginNotConfiguredError) {
        throw new ConnectionProblem(
          `${name} is not set up on this Herald yet: an admin must create the developer app and enter its credentials under Admin > Plugins > ${name}.`,
          slug
        )
      }
      if (error instanceof PluginUnavailableError) throw new ConnectionProblem(error.message, slug)
      throw error
    }
  }

  #driver(ctx: HttpContext, entry: PublisherEntry, context: PluginContext): HostedOAuthDriver {
    return createOAuthDriver(ctx, {
      pluginId: entry.plugin.id,
      spec: entry.publisher.oauth,
      settings: context.settings,
      callbackUrl: callbackUrlFor(entry.plugin.id),
      http: context.http,
    })
  }

  #flows(ctx: HttpContext): Record<string, OAuthFlow> {
    return { ...(ctx.session.get(SESSION_KEY, {}) as Record<string, OAuthFlow>) }
  }

  #providerError(ctx: HttpContext, name: string, code: string | null) {
    const description = String(ctx.request.input('error_description', '')).slice(0, 300)
    if (code === 'unknown_error') {
      return `${name} sent Herald back without an authorization code, so nothing was connected. Try again.`
    }
    if (code === 'unauthorized_scope_error' || code === 'invalid_scope') {
      return `${name} refused the permissions Herald asks for${description ? ` (${description})` : ''}. An admin must enable them in the ${name} developer app (see the setup guide on the Accounts page).`
    }
    return `${name} did not authorize the connection (${code}${description ? `: ${description}` : ''}). Nothing was connected; try again.`
  }

  #exchangeError(name: string, entry: PublisherEntry, error: unknown) {
    if (error instanceof OAuthEndpointError) {
      if (error.error === 'invalid_client' || error.status === 401 || error.error === 'graph_101') {
        return `${name} refused Herald's app credentials while finishing the connection. An admin must check the client ID and secret under Admin > Plugins > ${name}.`
      }
      if (error.status >= 500) {
        return `${name} failed while finishing the connection (HTTP ${error.status}). Nothing was connected; try again in a few minutes.`
      }
      return `${name} refused to finish the connection (${error.error ?? `HTTP ${error.status}`}${error.description ? `: ${error.description}` : ''}). The authorization may have expired or been used already; start again.`
    }
    const code = (error as { code?: string }).code
    if (code === 'E_OAUTH_MISSING_CODE' || code === 'E_OAUTH_STATE_MISMATCH') {
      return `Herald could not verify this answer from ${name} (the sign-in was not started in this browser). Start again.`
    }
    logger.warn(
      { plugin: entry.plugin.id, error: (error as Error)?.message },
      'account connection: token exchange failed'
    )
    return `Herald could not reach ${name} to finish the connection (${(error as Error)?.message ?? 'unknown error'}). Nothing was connected; try again.`
  }
}
