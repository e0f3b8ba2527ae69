import User from '#models/user'

/**
 * The Users admin page: everyone, active first, with their workspace count.
 */
export class ListUsersQuery {
  async execute() {
    return User.query()
      .withCount('memberships')
      .orderByRaw('deactivated_at is not null')
      .orderByRaw('lower(full_name)')
  }
}
