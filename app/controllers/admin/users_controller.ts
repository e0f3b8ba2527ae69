import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import NotFoundException from '#exceptions/not_found_exception'
import { CreateUser } from '#actions/users/create_user'
import { SetUserActive } from '#actions/users/set_user_active'
import { ResetPassword } from '#actions/users/reset_password'
import { ListUsersQuery } from '#queries/list_users_query'
import { createUserValidator, resetPasswordValidator } from '#validators/user'

/**
 * Admin: the agency's staff accounts.
 */
export default class UsersController {
  async index({ view }: HttpContext) {
    const users = await new ListUsersQuery().execute()
    return view.render('pages/admin/users/index', { users })
  }

  async create({ htmx }: HttpContext) {
    return htmx.render('pages/admin/users/create', 'partials/users/form')
  }

  async store({ request, htmx, auth, session }: HttpContext) {
    const [error, input] = await request.tryValidateUsing(createUserValidator)
    if (error) return htmx.invalid('pages/admin/users/create', 'partials/users/form', error)

    const user = await new CreateUser().execute(input, auth.getUserOrFail())
    session.flash('success', `${user.fullName} can now sign in with the password you set.`)
    return htmx.redirect('/admin/users')
  }

  async edit({ params, view }: HttpContext) {
    const user = await this.#find(params.id)
    return view.render('pages/admin/users/edit', { user })
  }

  async deactivate(ctx: HttpContext) {
    return this.#setActive(ctx, false)
  }

  async activate(ctx: HttpContext) {
    return this.#setActive(ctx, true)
  }

  async password({ params, request, htmx, auth, session }: HttpContext) {
    const user = await this.#find(params.id)
    const [error, input] = await request.tryValidateUsing(resetPasswordValidator)
    if (error)
      return htmx.invalid('pages/admin/users/edit', 'partials/users/password_form', error, { user })

    await new ResetPassword().execute(user, input.password, auth.getUserOrFail())
    session.flash('success', `The password of ${user.fullName} was changed.`)
    return htmx.redirect(`/admin/users/${user.id}`)
  }

  async #setActive({ params, auth, session, response }: HttpContext, active: boolean) {
    const user = await this.#find(params.id)
    const result = await new SetUserActive().execute(user, active, auth.getUserOrFail())
    if (result.ok) {
      session.flash('success', `${user.fullName} is ${active ? 'active again' : 'deactivated'}.`)
    } else {
      session.flash('error', result.message)
    }
    return response.redirect(`/admin/users/${user.id}`)
  }

  async #find(id: string) {
    const user = /^\d{1,9}$/.test(id) ? await User.find(id) : null
    if (!user) throw new NotFoundException()
    return user
  }
}
