import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import { textGenerationValidator } from '#validators/ai'
import { toFormErrors } from '#services/htmx'
import { GenerateText, TextGenerationFailed } from '#actions/ai/generate_text'
import { AiRequestError } from '#ai/request_error'
import { BudgetReachedError } from '#ai/budget'
import { streamTextRun, wantsStream } from '#ai/stream_response'
import { ComposerPageQuery } from '#queries/composer_page_query'
import { emptyDraft } from '#publishing/composer_draft'

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
    private page: ComposerPageQuery
  ) {}

  async store(ctx: HttpContext) {
    const { bouncer, access, auth, request, response } = ctx
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    response.header('Vary', 'Accept')
    listOf(ctx, 'networks')
    const [invalid, input] = await request.tryValidateUsing(textGenerationValidator)
    if (invalid) {
      const [[field, messages]] = Object.entries(toFormErrors(invalid))
      return this.#refuse(ctx, { status: 422, message: messages[0], field })
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
      return this.#page(ctx, { baseText: text })
    } catch (error) {
      const refusal = refusalOf(error)
      if (!refusal) throw error
      return this.#refuse(ctx, refusal)
    }
  }

  #refuse(ctx: HttpContext, refusal: Refusal) {
    const { status, message, field } = refusal
    if (wantsStream(ctx)) return ctx.response.status(status).json({ error: message, field })
    ctx.response.status(status)
    return this.#page(ctx, { aiError: message })
  }

  /** Without JavaScript: the composer again, with the generated text (or the refusal) in it */
  async #page(ctx: HttpContext, extra: { baseText?: string; aiError?: string }) {
    const input = ctx.request.all()
    const draft = {
      ...emptyDraft(ctx.access.workspace.timezone),
      baseText: extra.baseText ?? String(input.baseText ?? ''),
    }
    const state = await this.page.execute(ctx.access, ctx.auth.getUserOrFail(), draft)
    ctx.view.share({ formValues: { prompt: input.prompt ?? '' } })
    return ctx.view.render('pages/compose/edit', { ...state, aiError: extra.aiError })
  }
}

interface Refusal {
  status: number
  message: string
  field?: string
}

/** How a generation refused (or failed, without JavaScript) is answered */
function refusalOf(error: unknown): Refusal | undefined {
  if (error instanceof AiRequestError) {
    return { status: error.status, message: error.message, field: error.field }
  }
  if (error instanceof BudgetReachedError) return { status: 402, message: error.message }
  if (error instanceof TextGenerationFailed) return { status: 502, message: error.message }
  return undefined
}

/** One checked box arrives as a string, several as a list: always a list */
function listOf(ctx: HttpContext, name: string) {
  const value = ctx.request.input(name)
  if (typeof value === 'string') ctx.request.updateBody({ ...ctx.request.body(), [name]: [value] })
}
