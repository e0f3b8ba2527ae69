/*
|--------------------------------------------------------------------------
| Ace entry point
|--------------------------------------------------------------------------
|
| Loads the TypeScript JIT (SWC based) and hands over to bin/console.ts.
| After `node ace build`, the build folder ships a plain JS version.
|
*/
import '@poppinss/ts-exec'
await import('./bin/console.js')
