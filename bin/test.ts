/*
|--------------------------------------------------------------------------
| Test runner entry point (node ace test / npm test)
|--------------------------------------------------------------------------
|
| One embedded PostgreSQL (tmp/postgres-test, see .env.test) serves the whole
| run; suites isolate tests with transactions or truncation.
|
*/
process.env.NODE_ENV = 'test'

import 'reflect-metadata'
import { Ignitor, prettyPrintError } from '@adonisjs/core'
import { configure, processCLIArgs, run } from '@japa/runner'
import { APP_ROOT, importer, tapApp } from '#start/ignite'

new Ignitor(APP_ROOT, { importer })
  .tap(tapApp)
  .testRunner()
  .configure(async (app) => {
    const { runnerHooks, ...config } = await import('../tests/bootstrap.js')

    processCLIArgs(process.argv.splice(2))
    configure({
      ...app.rcFile.tests,
      ...config,
      ...{
        setup: runnerHooks.setup,
        teardown: runnerHooks.teardown.concat([() => app.terminate()]),
      },
    })
  })
  .run(() => run())
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
