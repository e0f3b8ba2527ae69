import type { ApplicationService } from '@adonisjs/core/types'
import { prepareRuntime } from '#start/runtime'

/**
 * Shared by bin/server.ts, bin/console.ts and bin/test.ts: resolves imports from
 * the app root and prepares the runtime (APP_KEY, database server) before config
 * files are read.
 */
export const APP_ROOT = new URL('../', import.meta.url)

export function importer(filePath: string) {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

export function tapApp(app: ApplicationService) {
  app.booting(async () => {
    await prepareRuntime(app, { database: true })
  })
  app.listen('SIGTERM', () => app.terminate())
  app.listen('SIGINT', () => app.terminate())
}
