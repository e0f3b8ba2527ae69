import { test } from '@japa/runner'
import {
  HttpNetworkError,
  HttpTimeoutError,
  Permanent,
  Transient,
  transportFailure,
} from '@herald/plugin-sdk'
import { expectPluginError } from '@herald/plugin-sdk/testing'

test.group('plugin sdk / helpers plugins share', () => {
  test('transportFailure tells timeouts from network errors and keeps the phase', ({ assert }) => {
    const details = { method: 'POST', url: 'https://api.example/posts' } as const
    assert.deepEqual(
      transportFailure(new HttpTimeoutError({ ...details, phase: 'response', timeoutMs: 1000 })),
      {
        kind: 'timeout',
        phase: 'response',
      }
    )
    assert.deepEqual(transportFailure(new HttpNetworkError({ ...details, phase: 'connect' })), {
      kind: 'network',
      phase: 'connect',
    })
    assert.isUndefined(transportFailure(new Error('boom')))

    // An error from another copy of the SDK: same name and phase, another class
    const foreign = Object.assign(new Error('timed out'), {
      name: 'HttpTimeoutError',
      phase: 'response',
    })
    assert.deepEqual(transportFailure(foreign), { kind: 'timeout', phase: 'response' })
  })

  test('expectPluginError returns the error of the expected kind and fails otherwise', async ({
    assert,
  }) => {
    const permanent = await expectPluginError(Promise.reject(new Permanent('No.')), 'Permanent')
    assert.equal(permanent.userMessage, 'No.')

    await assert.rejects(
      () => expectPluginError(Promise.resolve(1), 'Permanent'),
      /the call resolved/
    )
    await assert.rejects(
      () => expectPluginError(Promise.reject(new Transient('later')), 'Permanent'),
      /expected Permanent, got Transient/
    )
    await assert.rejects(
      () => expectPluginError(Promise.reject(new Error('raw')), 'Permanent'),
      /expected a Permanent plugin error/
    )
  })
})
