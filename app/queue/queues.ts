import logger from '@adonisjs/core/services/logger'
import queueConfig from '#config/queue'
import databaseServer from '#services/database_server'
import { QueueManager } from '#queue/queue_manager'
import { knownQueues } from '#queue/worker_runner'
import { appJobs } from '#jobs/registry'
import { throttleLogger, type QueueLogger } from '#queue/types'

/**
 * The app's queues (lazy registry): `await getQueue('default')` creates the queue
 * on first use, opening the backend then. Importing this module connects nothing.
 * providers/queue_provider.ts closes it on shutdown.
 */
const queueLogger: QueueLogger = throttleLogger({
  info: (object, message) => logger.info(object, message),
  warn: (object, message) => logger.warn(object, message),
  error: (object, message) => logger.error(object, message),
})

const queues = new QueueManager({
  kind: queueConfig.backend,
  logger: queueLogger,
  settings: async () =>
    queueConfig.backend === 'redis'
      ? {
          kind: 'redis',
          url: queueConfig.redisUrl!,
          prefix: queueConfig.prefix,
          logger: queueLogger,
        }
      : {
          kind: 'postgres',
          logger: queueLogger,
          databaseUrl: queueConfig.databaseUrl,
          appConnection: databaseServer.connection,
          embedded: databaseServer.isEmbedded,
          /**
           * One LISTEN connection per worked queue, plus 10 for queries (enough for
           * 2,000+ jobs/s; more does not help on PostgreSQL). A web process with
           * inline workers and a worker process each stay under ~15 connections.
           */
          poolMax: knownQueues(await appJobs()).length + 10,
        },
})

let current = queues

/**
 * The manager app code goes through (controllers, queries, `definition.dispatch()`).
 * It is `queues` except while a test routes the app to another backend.
 */
export function appQueues(): QueueManager {
  return current
}

/** Tests: send the app's queue use to `manager` until the returned function is called */
export function useQueueManager(manager: QueueManager) {
  const previous = current
  current = manager
  return () => {
    current = previous
  }
}

export function getQueue(name: string) {
  return current.getQueue(name)
}

export default queues
