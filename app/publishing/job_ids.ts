import publishingConfig from '#config/publishing'

/**
 * Names of the publishing pipeline's queues and jobs.
 *
 * Each publisher plugin has its own queue, so one network's slowness or rate
 * limit never holds up another, and each gets its own concurrency cap. A
 * target's job id carries its `job_seq`: rescheduling, retrying or cancelling
 * bumps the sequence, so a job left behind finds a newer sequence and does
 * nothing (BullMQ would also ignore an add whose id still exists).
 */
export function publishQueueName(pluginId: string) {
  return `publish-${pluginId}`
}

export function publishJobId(targetId: number, seq: number) {
  return `publish:${targetId}:${seq}`
}

/** The plugin id of a publish queue, or undefined for other queues */
export function pluginOfPublishQueue(queue: string): string | undefined {
  return queue.startsWith('publish-') ? queue.slice('publish-'.length) : undefined
}

/** Worker concurrency of a publish queue (the network's cap), undefined for other queues */
export function publishConcurrency(queue: string): number | undefined {
  const pluginId = pluginOfPublishQueue(queue)
  return pluginId === undefined ? undefined : publishingConfig.concurrencyFor(pluginId)
}
