import { defineConfig, drivers } from '@adonisjs/core/hash'

/**
 * argon2id above OWASP's minimum (19 MiB, t=2, p=1): 64 MiB, 3 passes.
 * About 0.1 s per hash on a 2-core machine; sign-in is rate limited anyway.
 */
const hashConfig = defineConfig({
  default: 'argon',

  list: {
    argon: drivers.argon2({
      version: 0x13,
      variant: 'id',
      iterations: 3,
      memory: 65536,
      parallelism: 1,
      saltSize: 16,
      hashLength: 32,
    }),
  },
})

export default hashConfig

declare module '@adonisjs/core/types' {
  export interface HashersList extends InferHashers<typeof hashConfig> {}
}
