import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import { textGenerationValidator } from '#validators/ai'
import { toFormErrors } from '#services/htmx'
import { GenerateText, TextGenerationFailed } from '#actions/ai/generate_text'
import { AiRequestError } from '#ai/request_error'
import { BudgetReachedError } from '#ai/budget'
import { streamTextRun, wantsStream } from '#ai/stream_response'
import { ComposePageQuery } from '#queries/compose_page_query'

/**
 * AI text for the composer. The AI panel's fetch (Accept:
 * application/x-ndjson) gets the text as it is written; a plain form post
 * (no JavaScript) gets the composer back with the whole text in it.
 * Refusals before any call: JSON `{ error, field }` with 422 (bad input),
 * 402 (budget reached) or 409 (no provider configured).
 */
@inject()
export default class AiTextController {
  constructor(
    private generate: GenerateText,
    private page: ComposePageQuery
  ) {}

  async store(ctx: HttpContext) {
    const { bouncer, access, auth, request, response } = ctx
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    // One checked network arrives as a string, several as a list.
    const networks = request.input('networks')
    if (typeof networks === 'string')
      request.updateBody({ ...request.body(), networks: [networks] })
    const [invalid, input] = await request.tryValidateUsing(textGenerationValidator)
    if (invalid) {
      const errors = toFormErrors(invalid)
      const field = Object.keys(errors)[0]
      return this.#refuse(ctx, 422, errors[field][0], field)
    }
    try {
      const run = await this.generate.prepare({
        workspace: access.workspace,
        user: auth.getUserOrFail(),
        purpose: input.purpose ?? 'generate',
        prompt: input.prompt ?? '',
        baseText: input.baseText ?? '',
        model: input.model,
        networks: input.networks ?? [],
      })
      if (wantsStream(ctx)) return streamTextRun(ctx, run)
      const { text } = await run.complete()
      return this.#page(ctx, { baseText: text, generated: true })
    } catch (error) {
      if (error instanceof AiRequestError)
        return this.#refuse(ctx, error.status, error.message, error.field)
      if (error instanceof BudgetReachedError) return this.#refuse(ctx, 402, error.message)
      if (error instanceof TextGenerationFailed) return this.#refuse(ctx, 502, error.message)
      throw error
    } finally {
      response.header('Vary', 'Accept')
    }
  }

  #refuse(ctx: HttpContext, status: number, message: string, field?: string) {
    if (wantsStream(ctx)) return ctx.response.status(status).json({ error: message, field })
    ctx.response.status(status)
    return this.#page(ctx, { aiError: message, aiErrorField: field })
  }

  async #page(ctx: HttpContext, extra: Record<string, unknown>) {
    const input = ctx.request.all()
    const networks = ([] as string[]).concat(input.networks ?? [])
    const state = await this.page.execute(ctx.access, ctx.auth.getUserOrFail(), { networks })
    return ctx.view.render('pages/compose/show', {
      ...state,
      baseText: input.baseText ?? '',
      prompt: input.prompt ?? '',
      ...extra,
    })
  }
}
