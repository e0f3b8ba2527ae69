import type { OpenRouterSettings } from '../src/settings.js'
import type { FakeOpenRouter } from './fake_openrouter.js'

/** Settings pointing at the fake. */
export function settingsOf(fake: FakeOpenRouter, extra: Partial<OpenRouterSettings> = {}) {
  return { ...fake.settings(), ...extra } as OpenRouterSettings
}

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of iterable) items.push(item)
  return items
}

/** The rejection of a promise; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to reject')
}

/** The plugin error a promise rejects with (the SDK's check, under the name these tests use) */
export { expectPluginError as pluginError } from '@herald/plugin-sdk/testing'
