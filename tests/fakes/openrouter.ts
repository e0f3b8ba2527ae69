export * from '../../plugins/openrouter/tests/fake_openrouter.js'
