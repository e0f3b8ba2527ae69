import type { PublishInput, PublishMedia, PublishPart } from '@herald/plugin-sdk'
import {
  createCapturingLogger,
  createTestContext,
  createTestMedia,
  type TestPluginContext,
} from '@herald/plugin-sdk/testing'
import type { XSettings } from '../src/settings.js'
import { FAKE_X_TOKENS, FAKE_X_USER, type FakeX } from './fake_x.js'

/** The account of the fake's default user. */
export const ACCOUNT = {
  externalId: FAKE_X_USER.id,
  handle: FAKE_X_USER.username,
  displayName: FAKE_X_USER.name,
}

/** Settings pointing at the fake. */
export function settingsOf(fake: FakeX, extra: Partial<XSettings> = {}): XSettings {
  return { ...fake.settings(), ...extra }
}

/** A test context on the fake (1 s request timeouts, a capturing logger). */
export function contextOf(
  fake: FakeX,
  options: { signal?: AbortSignal; now?: () => Date; settings?: Partial<XSettings> } = {}
): TestPluginContext<XSettings> {
  return createTestContext<XSettings>({
    settings: settingsOf(fake, options.settings),
    signal: options.signal,
    now: options.now,
    timeoutMs: 1000,
    log: createCapturingLogger(),
  })
}

/** Bytes that start with a file type's magic number, padded to `size`. */
export function imageBytes(mime: string, size = 2048): Uint8Array {
  const heads: Record<string, number[]> = {
    'image/jpeg': [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46],
    'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    'image/gif': [...Buffer.from('GIF89a')],
    'image/webp': [...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBPVP8 ')],
  }
  const bytes = new Uint8Array(size)
  for (let index = 0; index < size; index++) bytes[index] = (index * 31 + 7) % 251
  bytes.set(heads[mime] ?? [], 0)
  return bytes
}

/** A media item backed by fake image bytes. */
export function image(
  mime = 'image/jpeg',
  options: { size?: number; altText?: string } = {}
): PublishMedia {
  return createTestMedia({
    bytes: imageBytes(mime, options.size),
    mime,
    ...(options.altText === undefined ? {} : { altText: options.altText }),
  })
}

/** A publish input for the fake's default account. */
export function publishInput(
  parts: (string | PublishPart)[],
  extra: Partial<PublishInput> = {}
): PublishInput {
  return {
    account: ACCOUNT,
    tokens: { accessToken: FAKE_X_TOKENS.accessToken, refreshToken: FAKE_X_TOKENS.refreshToken },
    parts: parts.map((part) => (typeof part === 'string' ? { text: part, media: [] } : part)),
    idempotencyKey: 'target-1:attempt-1',
    ...extra,
  }
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
