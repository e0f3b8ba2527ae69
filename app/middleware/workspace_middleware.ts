import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import NotFoundException from '#exceptions/not_found_exception'
import { ResolveWorkspaceAccess } from '#actions/workspaces/resolve_workspace_access'
import type { WorkspaceAccess } from '#services/workspace_access'

/**
 * Every route under /w/:workspace: loads the workspace by slug and the user's
 * role in it. Not a member (and not an admin): 404, whatever the workspace
 * exists or not, so ids and slugs of other clients leak nothing.
 */
export default class WorkspaceMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const slug = ctx.params.workspace
    const access = await new ResolveWorkspaceAccess().execute(ctx.auth.getUserOrFail(), slug)
    if (!access) {
      throw new NotFoundException()
    }
    ctx.access = access
    ctx.view.share({ access, workspace: access.workspace })
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    access: WorkspaceAccess
  }
}
