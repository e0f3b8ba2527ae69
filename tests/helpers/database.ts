import type { Group } from '@japa/runner/core'
import testUtils from '@adonisjs/core/services/test_utils'
import { FirstRunState } from '#services/first_run_state'

/**
 * Every test of the group runs inside a transaction rolled back afterwards
 * (the HTTP server under test shares the process, so its queries join it).
 */
export function isolateDatabase(group: Group) {
  group.each.setup(async () => {
    FirstRunState.reset()
    const rollback = await testUtils.db().withGlobalTransaction()
    return async () => {
      await rollback()
      FirstRunState.reset()
    }
  })
}
