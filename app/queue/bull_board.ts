import { createBullBoard } from '@bull-board/api'
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter'
import { AdonisBullBoardAdapter } from '#queue/bull_board_adapter'
import type { QueueManager } from '#queue/queue_manager'

export const BULL_BOARD_PATH = '/admin/queues'

/**
 * The bull-board instance (one per queue manager), built on the first dashboard
 * request (so booting the app connects no queue) with every queue of the job
 * registry.
 */
const boards = new WeakMap<QueueManager, Promise<AdonisBullBoardAdapter>>()

export function bullBoard(queues: QueueManager, queueNames: readonly string[]) {
  let board = boards.get(queues)
  if (!board) {
    const building = build(queues, queueNames)
    board = building
    boards.set(queues, building)
    building.catch(() => {
      if (boards.get(queues) === building) boards.delete(queues)
    })
  }
  return board
}

async function build(queues: QueueManager, queueNames: readonly string[]) {
  const adapter = new AdonisBullBoardAdapter(BULL_BOARD_PATH)
  const list = await Promise.all(queueNames.map((name) => queues.getQueue(name)))
  createBullBoard({
    queues: list.map((queue) => new BullMQAdapter(queue as any)),
    serverAdapter: adapter,
    options: {
      uiConfig: {
        boardTitle: 'Herald queues',
        hideDocsLink: true,
        miscLinks: [{ text: 'Back to Herald', url: '/admin/system' }],
        /** Herald's own page has the right worker list and paused counts on PostgreSQL */
        showWorkers: queues.kind === 'redis',
      },
    },
  })
  return adapter
}
