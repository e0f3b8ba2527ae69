/*
|--------------------------------------------------------------------------
| Ace entry point (node ace <command>)
|--------------------------------------------------------------------------
|
| Commands that start the app connect to the embedded PostgreSQL another
| process owns, or start it for their own run.
|
*/
await import('reflect-metadata')
const { Ignitor, prettyPrintError } = await import('@adonisjs/core')
const { APP_ROOT, importer, tapApp } = await import('#start/ignite')

new Ignitor(APP_ROOT, { importer })
  .tap(tapApp)
  .ace()
  .handle(process.argv.splice(2))
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
