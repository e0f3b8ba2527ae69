/*
|--------------------------------------------------------------------------
| HTTP server entry point
|--------------------------------------------------------------------------
|
| `npm start` runs this file: it prepares the database (embedded by default),
| applies pending migrations, starts the HTTP server and, with WORKERS=inline,
| the queue workers in the same process.
|
*/
await import('reflect-metadata')
const { Ignitor, prettyPrintError } = await import('@adonisjs/core')
const { APP_ROOT, importer, tapApp } = await import('#start/ignite')

new Ignitor(APP_ROOT, { importer })
  .tap((app) => {
    tapApp(app)
    app.booted(async () => {
      const { migrateOnStart } = await import('#start/migrate_on_start')
      await migrateOnStart(app)
    })
  })
  .httpServer()
  .start()
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
