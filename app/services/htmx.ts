import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'

type ValidationError = InstanceType<typeof vineErrors.E_VALIDATION_ERROR>

/** Field name -> messages, shared with the field components */
export type FormErrors = Record<string, string[]>

/**
 * htmx-aware rendering. A URL serves the full page, or for an htmx request
 * the fragment (partial) it targets. Always `Vary: HX-Request`.
 */
export class Htmx {
  constructor(private ctx: HttpContext) {}

  /** True for htmx requests, except history restores (they need full pages) */
  get isRequest() {
    const headers = this.ctx.request
    return (
      headers.header('hx-request') === 'true' &&
      headers.header('hx-history-restore-request') !== 'true'
    )
  }

  render(page: string, partial: string, state: Record<string, unknown> = {}) {
    this.ctx.response.append('Vary', 'HX-Request')
    return this.ctx.view.render(this.isRequest ? partial : page, state)
  }

  /**
   * Re-renders a form with 422 (or the given status), its errors tied to the fields and everything
   * the person typed kept.
   */
  invalid(
    page: string,
    partial: string,
    errors: FormErrors | ValidationError,
    state: Record<string, unknown> = {},
    status = 422
  ) {
    const formErrors =
      errors instanceof vineErrors.E_VALIDATION_ERROR ? toFormErrors(errors) : errors
    this.ctx.view.share({
      formErrors,
      formValues: { ...this.ctx.request.all(), ...this.ctx.request.params() },
    })
    this.ctx.response.status(status)
    return this.render(page, partial, state)
  }

  /** POST/redirect/GET for forms, HX-Redirect for htmx */
  redirect(url: string) {
    if (this.isRequest) {
      this.ctx.response.header('HX-Redirect', url)
      return this.ctx.response.noContent()
    }
    return this.ctx.response.redirect(url)
  }
}

export function toFormErrors(error: ValidationError): FormErrors {
  const formErrors: FormErrors = {}
  for (const message of error.messages as { field: string; message: string }[]) {
    ;(formErrors[message.field] ??= []).push(message.message)
  }
  return formErrors
}
