export * from './fake_meta.js'

/** The plugin error a promise rejects with (the SDK's check, under the name these tests use) */
export { expectPluginError as pluginError } from '@herald/plugin-sdk/testing'
