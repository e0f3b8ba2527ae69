/*
|--------------------------------------------------------------------------
| Runs plugin spec files outside Herald (no app, no database)
|--------------------------------------------------------------------------
|
|   node --import=@poppinss/ts-exec tests/helpers/run_plugin_specs.ts <glob>...
|
| What a plugin needs to test itself is the SDK's contract kit and its own
| fake; this runner proves a plugin folder's tests need nothing else from
| Herald (the scaffold test runs generated plugins with it).
|
*/
import { assert } from '@japa/assert'
import { configure, run } from '@japa/runner'

configure({
  files: process.argv.slice(2),
  plugins: [assert()],
  forceExit: true,
})
await run()
