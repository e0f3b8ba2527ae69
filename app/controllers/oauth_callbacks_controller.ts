import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { AccountOAuth, type SignIn } from '#services/account_oauth'
import { ConnectionProblem } from '#services/connection_problem'
import { ResolveWorkspaceAccess } from '#actions/workspaces/resolve_workspace_access'
import { CompleteAccountConnection } from '#actions/accounts/complete_account_connection'

/**
 * `GET /oauth/:plugin/callback`: the one URL per platform registered in its
 * developer app. The session says which workspace (and which account, for a
 * reconnect) started the flow. Whatever goes wrong ends on the Accounts page
 * with a sentence, never an error page.
 */
export default class OAuthCallbacksController {
  @inject()
  async handle(ctx: HttpContext, oauth: AccountOAuth, complete: CompleteAccountConnection) {
    const { session, response, logger, params } = ctx
    let slug: string | undefined
    try {
      const signIn = await oauth.finish(ctx, String(params.plugin))
      slug = signIn.flow.workspaceSlug
      return await this.#complete(ctx, signIn, complete)
    } catch (error) {
      const problem = error instanceof ConnectionProblem ? error : undefined
      if (!problem) {
        logger.error(
          {
            plugin: params.plugin,
            error: (error as Error)?.name,
            reason: (error as Error)?.message,
          },
          'account connection failed'
        )
      }
      session.flash(
        'error',
        problem?.message ??
          'Something went wrong while finishing the connection, so nothing was connected. Try again; if it keeps failing, an admin can find the details in the server log.'
      )
      const target = problem?.workspaceSlug ?? slug
      return response.redirect(target ? `/w/${target}/accounts` : '/')
    }
  }

  async #complete(ctx: HttpContext, signIn: SignIn, complete: CompleteAccountConnection) {
    const user = ctx.auth.getUserOrFail()
    const slug = signIn.flow.workspaceSlug
    const access = await new ResolveWorkspaceAccess().execute(user, slug)
    if (!access?.canEditContent) {
      throw new ConnectionProblem(
        'You can no longer manage the accounts of that workspace, so nothing was connected.'
      )
    }
    const outcome = await complete.execute({
      workspace: access.workspace,
      user,
      entry: signIn.entry,
      context: signIn.context,
      tokens: signIn.tokens,
      accountId: signIn.flow.accountId,
    })
    if (outcome.kind === 'pick') {
      return ctx.response.redirect(`/w/${slug}/accounts/pick/${outcome.pendingId}`)
    }
    const { account, created } = outcome
    const platform = signIn.entry.plugin.manifest.displayName
    ctx.session.flash(
      'success',
      created
        ? `${account.displayName} on ${platform} is connected.`
        : `${account.displayName} on ${platform} is reconnected. Its posts and history are kept.`
    )
    return ctx.response.redirect(`/w/${slug}/accounts#account-${account.id}`)
  }
}
