import type { HttpContext } from '@adonisjs/core/http'
import { CreateFirstAdmin } from '#actions/users/create_first_admin'
import { setupValidator } from '#validators/user'

/**
 * First run: create the first admin. There is no default password.
 */
export default class SetupController {
  async create({ htmx }: HttpContext) {
    return htmx.render('pages/setup/create', 'partials/setup/form')
  }

  async store({ request, auth, htmx }: HttpContext) {
    const [error, input] = await request.tryValidateUsing(setupValidator)
    if (error) return htmx.invalid('pages/setup/create', 'partials/setup/form', error)

    const admin = await new CreateFirstAdmin().execute(input)
    if (!admin) return htmx.redirect('/login')

    await auth.use('web').login(admin)
    return htmx.redirect('/workspaces/new')
  }
}
