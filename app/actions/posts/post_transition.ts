import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import app from '@adonisjs/core/services/app'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import { rollUpPost } from '#publishing/pipeline_store'
import { TargetQueue, type QueuedTarget } from '#publishing/target_queue'
import { RunPreflight } from '#actions/publishing/run_preflight'
import type { TargetStatus } from '#publishing/target_status'

/** What a transition sees: the locked post and its targets, and where to put jobs to add */
export interface Transition {
  trx: TransactionClientContract
  post: Post
  targets: PostTarget[]
  /** Moves a target to `scheduled`/`queued` at `dueAt` under a new job sequence, and queues its job */
  enqueue(target: PostTarget, status: 'scheduled' | 'queued', dueAt: Date): Promise<void>
}

export class TransitionRefused extends Error {}

/**
 * Runs a change of a post's publishing state the pipeline's way: its targets
 * then the post locked (the pipeline's lock order), the roll-up status
 * recomputed, the jobs added only after the commit. Throw TransitionRefused to refuse in words.
 */
export async function transitionPost<T>(
  postId: number,
  change: (transition: Transition) => Promise<T>
): Promise<T> {
  const toEnqueue: QueuedTarget[] = []
  const result = await db.transaction(async (trx) => {
    // Lock order of the pipeline: the targets (by id), then the post.
    const targets = await PostTarget.query({ client: trx })
      .where('post_id', postId)
      .orderBy('id')
      .forUpdate()
    const post = await Post.query({ client: trx }).where('id', postId).forUpdate().firstOrFail()
    const value = await change({
      trx,
      post,
      targets,
      async enqueue(target, status, dueAt) {
        target.useTransaction(trx)
        target.merge({
          status,
          dueAt: DateTime.fromJSDate(dueAt),
          jobSeq: target.jobSeq + 1,
          lastError: null,
          lastErrorDetail: null,
          lastErrorKind: null,
        })
        await target.save()
        toEnqueue.push({ id: target.id, pluginId: target.pluginId, jobSeq: target.jobSeq, dueAt })
      },
    })
    await rollUpPost(trx, postId)
    return value
  })
  if (toEnqueue.length > 0) {
    // Pre-flight first, so a job due at once already sees a blocking issue (§8.12).
    const preflight = await app.container.make(RunPreflight)
    await preflight.execute(toEnqueue.map((target) => target.id))
    const queue = await app.container.make(TargetQueue)
    await queue.enqueue(toEnqueue)
  }
  return result
}

/** Targets of the post in one of the states */
export function inStates(targets: PostTarget[], states: readonly TargetStatus[]) {
  return targets.filter((target) => states.includes(target.status))
}
