import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import { PendingConnections } from '#services/pending_connections'
import { PendingConnectionQuery } from '#queries/pending_connection_query'
import { AddPickedAccounts } from '#actions/accounts/add_picked_accounts'
import { Publishers } from '#plugin_host/publishers'
import { pickAccountsValidator } from '#validators/accounts'
import NotFoundException from '#exceptions/not_found_exception'

const PAGE = 'pages/accounts/pick'
const PARTIAL = 'partials/accounts/pick_form'

/**
 * After a sign-in that reached several accounts (Facebook Pages, Instagram
 * business accounts): the person picks which to add to the workspace.
 */
export default class AccountPicksController {
  @inject()
  async show(ctx: HttpContext, publishers: Publishers) {
    await ctx.bouncer.with(WorkspacePolicy).authorize('manageAccounts', ctx.access)
    const pending = await this.#pending(ctx)
    if (!pending) return this.#expired(ctx)
    const state = await new PendingConnectionQuery().execute(pending, ctx.access.workspace)
    return ctx.htmx.render(PAGE, PARTIAL, {
      ...state,
      platform: publishers.displayName(state.pluginId),
    })
  }

  @inject()
  async store(ctx: HttpContext, add: AddPickedAccounts, publishers: Publishers) {
    const { bouncer, access, request, htmx, session, auth } = ctx
    await bouncer.with(WorkspacePolicy).authorize('manageAccounts', access)
    const pending = await this.#pending(ctx)
    if (!pending) return this.#expired(ctx)
    const [error, input] = await request.tryValidateUsing(pickAccountsValidator)
    if (error) {
      const state = await new PendingConnectionQuery().execute(pending, access.workspace)
      const platform = publishers.displayName(state.pluginId)
      return htmx.invalid(PAGE, PARTIAL, error, { ...state, platform })
    }
    const accounts = await add.execute({
      pending,
      externalIds: input.accounts,
      workspace: access.workspace,
      user: auth.getUserOrFail(),
    })
    const names = accounts.map((account) => account.displayName).join(', ')
    session.flash('success', `Added ${names} on ${publishers.displayName(pending.row.pluginId)}.`)
    return htmx.redirect(`/w/${access.workspace.slug}/accounts`)
  }

  /** This person's pending connection in this workspace; another's is a 404, a gone one "expired" */
  async #pending({ params, auth, access }: HttpContext) {
    const pending = new PendingConnections()
    const [id, user] = [String(params.pending), auth.getUserOrFail()]
    const found = await pending.find(id, user, access.workspace)
    if (!found && (await pending.belongsElsewhere(id, user, access.workspace))) {
      throw new NotFoundException()
    }
    return found
  }

  #expired({ session, htmx, access }: HttpContext) {
    session.flash(
      'error',
      'This list of accounts has expired (it is kept 15 minutes) or was already used. Connect again to see it.'
    )
    return htmx.redirect(`/w/${access.workspace.slug}/accounts`)
  }
}
