import type { HttpContext } from '@adonisjs/core/http'
import { appQueues } from '#queue/queues'
import { bullBoard } from '#queue/bull_board'
import { knownQueues } from '#queue/worker_runner'
import { appJobs } from '#jobs/registry'

/**
 * Admin: bull-board at /admin/queues (page, static files and its JSON API).
 */
export default class QueuesController {
  async handle(ctx: HttpContext) {
    const board = await bullBoard(appQueues(), knownQueues(await appJobs()))
    return board.handle(ctx)
  }
}
