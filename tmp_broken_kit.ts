import { assert } from '@japa/assert'
import { configure, run } from '@japa/runner'
configure({ files: ['tmp_broken_kit_spec.ts'], plugins: [assert()], timeout: 10_000 })
run()
