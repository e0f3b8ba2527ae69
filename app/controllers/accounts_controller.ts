import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import SocialAccount from '#models/social_account'
import WorkspacePolicy from '#policies/workspace_policy'
import NotFoundException from '#exceptions/not_found_exception'
import { AccountsPageQuery } from '#queries/accounts_page_query'
import { AccountOAuth } from '#services/account_oauth'
import { ConnectionProblem } from '#services/connection_problem'
import { DisconnectSocialAccount } from '#actions/accounts/disconnect_social_account'
import { CheckPublisherConfiguration } from '#actions/accounts/check_publisher_configuration'

const PAGE = 'pages/accounts/index'
const PARTIAL = 'partials/accounts/panel'

/**
 * A workspace's social accounts: the list with their token status, connect
 * and reconnect (the OAuth redirect; the callback is OAuthCallbacksController),
 * disconnect, and the platforms' "check configuration".
 */
export default class AccountsController {
  @inject()
  async index({ bouncer, access, htmx }: HttpContext, page: AccountsPageQuery) {
    await bouncer.with(WorkspacePolicy).authorize('view', access)
    return htmx.render(PAGE, PARTIAL, await page.execute(access.workspace))
  }

  @inject()
  async connect(ctx: HttpContext, oauth: AccountOAuth) {
    await ctx.bouncer.with(WorkspacePolicy).authorize('manageAccounts', ctx.access)
    try {
      await oauth.start(ctx, String(ctx.params.plugin), { workspace: ctx.access.workspace })
    } catch (error) {
      return this.#problem(ctx, error)
    }
  }

  @inject()
  async reconnect(ctx: HttpContext, oauth: AccountOAuth) {
    await ctx.bouncer.with(WorkspacePolicy).authorize('manageAccounts', ctx.access)
    const account = await this.#find(ctx.access.workspace.id, ctx.params.id)
    try {
      await oauth.start(ctx, account.pluginId, { workspace: ctx.access.workspace, account })
    } catch (error) {
      return this.#problem(ctx, error)
    }
  }

  @inject()
  async destroy(
    { bouncer, access, params, session, htmx, auth }: HttpContext,
    disconnect: DisconnectSocialAccount
  ) {
    await bouncer.with(WorkspacePolicy).authorize('manageAccounts', access)
    const account = await this.#find(access.workspace.id, params.id)
    if (account.status !== 'disabled') {
      const result = await disconnect.execute(account, auth.getUserOrFail())
      session.flash(
        'success',
        `${account.displayName} is disconnected. Its past posts stay readable in Herald.`
      )
      if (result.note) session.flash('error', result.note)
    }
    return htmx.redirect(`/w/${access.workspace.slug}/accounts`)
  }

  @inject()
  async check(
    { bouncer, access, params, htmx, view, session }: HttpContext,
    check: CheckPublisherConfiguration
  ) {
    await bouncer.with(WorkspacePolicy).authorize('manageAccounts', access)
    const result = await check.execute(String(params.plugin))
    if (htmx.isRequest) return view.render('partials/accounts/check_result', { result })
    session.flash(result.status === 'valid' ? 'success' : 'error', result.message)
    return htmx.redirect(`/w/${access.workspace.slug}/accounts#platform-${result.pluginId}`)
  }

  /** Accounts of this workspace only: another workspace's id is a 404 */
  async #find(workspaceId: number, id: string) {
    const account = /^\d{1,9}$/.test(id)
      ? await SocialAccount.query().where({ workspace_id: workspaceId, id }).first()
      : null
    if (!account) throw new NotFoundException()
    return account
  }

  #problem({ session, response, access }: HttpContext, error: unknown) {
    if (!(error instanceof ConnectionProblem)) throw error
    session.flash('error', error.message)
    return response.redirect(`/w/${access.workspace.slug}/accounts`)
  }
}
