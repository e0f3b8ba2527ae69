import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import { budgetValidator } from '#validators/ai'
import { AiUsageQuery } from '#queries/ai_usage_query'
import { UpdateAiBudget } from '#actions/ai/update_budget'
import { monthWindow } from '#ai/budget'
import { ledgerCsv } from '#ai/ledger_csv'

/**
 * The AI usage of a workspace: spend this month against the budget, by
 * model, person and day, the latest calls, a CSV of the ledger, and the
 * budget (owners and agency admins change it).
 */
export default class AiUsageController {
  async show({ bouncer, access, request, htmx, session }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('view', access)
    const usage = await new AiUsageQuery().execute(
      access.workspace,
      monthParam(request.input('month'))
    )
    return htmx.render('pages/usage/show', 'partials/usage/report', {
      usage,
      budgetSaved: session.flashMessages.get('budgetSaved'),
    })
  }

  async csv({ bouncer, access, request, response }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('view', access)
    const workspace = access.workspace
    const window = monthWindow(workspace.timezone, monthParam(request.input('month')))
    const rows = await new AiUsageQuery().rows(workspace, window)
    response.header('Content-Type', 'text/csv; charset=utf-8')
    response.header(
      'Content-Disposition',
      `attachment; filename="ai-usage-${workspace.slug}-${window.key}.csv"`
    )
    return response.send(ledgerCsv(rows))
  }

  async updateBudget({ bouncer, access, auth, request, htmx, session }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('manage', access)
    const [invalid, input] = await request.tryValidateUsing(budgetValidator)
    if (invalid) {
      const usage = await new AiUsageQuery().execute(access.workspace)
      return htmx.invalid('pages/usage/show', 'partials/usage/budget_form', invalid, { usage })
    }
    const budget = input.monthlyAiBudgetUsd ?? null
    await new UpdateAiBudget().execute(access.workspace, budget, auth.getUserOrFail())
    session.flash('budgetSaved', true)
    return htmx.redirect(`/w/${access.workspace.slug}/usage`)
  }
}

/** `YYYY-MM`, or undefined for the current month */
function monthParam(value: unknown) {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? value : undefined
}
