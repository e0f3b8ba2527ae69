import type { HttpContext } from '@adonisjs/core/http'
import { AttemptSignIn } from '#actions/auth/attempt_sign_in'
import { signInValidator } from '#validators/user'

const PAGE = 'pages/auth/login'
const FORM = 'partials/auth/login_form'

/**
 * Sign-in and sign-out.
 */
export default class SessionController {
  async create({ htmx }: HttpContext) {
    return htmx.render(PAGE, FORM)
  }

  async store({ request, auth, htmx, response }: HttpContext) {
    const [error, input] = await request.tryValidateUsing(signInValidator)
    if (error) return htmx.invalid(PAGE, FORM, error)

    const result = await new AttemptSignIn().execute(input.email, input.password, request.ip())
    if (!result.ok) {
      if (result.reason === 'throttled') {
        response.header('Retry-After', String(result.retryAfterSeconds))
        const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60))
        const message = `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
        return htmx.invalid(PAGE, FORM, { email: [message] }, {}, 429)
      }
      const message =
        result.reason === 'deactivated'
          ? 'This account has been deactivated. Ask an admin to reactivate it.'
          : 'The email address or password is not right.'
      return htmx.invalid(PAGE, FORM, { email: [message] })
    }

    await auth.use('web').login(result.user)
    return htmx.redirect(safeNext(request.input('next')))
  }

  async destroy({ auth, response }: HttpContext) {
    await auth.use('web').logout()
    return response.redirect('/login')
  }
}

/** Only same-site paths: "/w/acme" yes, "//evil.example" or "https://..." no */
function safeNext(next: unknown) {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/'
}
