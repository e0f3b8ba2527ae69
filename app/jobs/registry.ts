import { heartbeatJob } from '#jobs/heartbeat_job'
import { pruneJobsJob } from '#jobs/prune_jobs_job'
import { generateImageJob } from '#jobs/generate_image_job'
import { sweepGenerationsJob } from '#jobs/sweep_generations_job'

/**
 * Every job Herald runs. Workers (`node ace queue:work`, or inline in the web
 * process) run the handlers of these definitions; a job missing here fails with
 * "No handler". Add new jobs to this list.
 */
export const jobs = [heartbeatJob, pruneJobsJob, generateImageJob, sweepGenerationsJob] as const
