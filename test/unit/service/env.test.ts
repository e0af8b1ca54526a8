import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BackboneError } from '@event-backbone/errors'
import { envInt, envList, envOneOf, envPort, envRequired, envString, envUrl, serviceKit } from '#libs/service'

/** Runs `parse` and returns the error it throws, which must be the kit's EB_SERVICE_CONFIG. */
function failure(parse: () => unknown): BackboneError {
  try {
    parse()
  } catch (error) {
    assert.ok(error instanceof BackboneError, `a backbone error, got ${String(error)}`)
    assert.equal(error.code, 'EB_SERVICE_CONFIG')
    return error
  }
  assert.fail('expected a configuration error')
}

test('a bad port names the variable, the range and the value it got', () => {
  const error = failure(() => envPort({ SERVICE_PORT: 'eighty' }, 'SERVICE_PORT', 0))
  assert.equal(error.message, 'SERVICE_PORT needs to be a whole number from 0 to 65535, got "eighty"')
  assert.equal(error.context['variable'], 'SERVICE_PORT')
  failure(() => envPort({ SERVICE_PORT: '70000' }, 'SERVICE_PORT', 0))
})

test('a service-specific alias wins over the shared name, and an error names the variable that was set', () => {
  const names = ['REGISTRY_PORT', 'SERVICE_PORT']
  assert.equal(envPort({ SERVICE_PORT: '9000' }, names, 8081), 9000)
  assert.equal(envPort({ REGISTRY_PORT: '9001', SERVICE_PORT: '9000' }, names, 8081), 9001)
  assert.equal(envPort({ REGISTRY_PORT: '  ' }, names, 8081), 8081, 'a blank variable counts as unset')
  const error = failure(() => envPort({ SERVICE_PORT: '9000', REGISTRY_PORT: 'x' }, names, 8081))
  assert.match(error.message, /^REGISTRY_PORT needs/)
})

test('a URL must be http(s), and a required one that is missing says it is not set', () => {
  assert.equal(envUrl({ U: 'https://registry:8081' }, 'U'), 'https://registry:8081')
  assert.equal(envUrl({}, 'U', 'http://127.0.0.1:8081'), 'http://127.0.0.1:8081')
  assert.match(failure(() => envUrl({ U: 'registry:8081' }, 'U')).message, /^U is not an http\(s\) URL/)
  assert.match(failure(() => envUrl({ U: 'not a url' }, 'U')).message, /got "not a url"/)
  assert.equal(failure(() => envUrl({}, 'U')).message, 'U is not set (an http(s) URL)')
  assert.equal(
    failure(() => envRequired({}, 'TOKEN', 'the operator token')).message,
    'TOKEN is not set (the operator token)',
  )
})

test('integers, lists, words and strings parse or name what they expected', () => {
  assert.equal(envInt({ N: '12' }, 'N', 1, { min: 1, max: 20 }), 12)
  assert.match(
    failure(() => envInt({ N: '21' }, 'N', 1, { min: 1, max: 20 })).message,
    /N needs to be a whole number from 1 to 20, got "21"/,
  )
  assert.deepEqual(envList({ L: 'a, b,,c ' }, 'L', []), ['a', 'b', 'c'])
  assert.deepEqual(envList({}, 'L', ['x']), ['x'])
  assert.equal(envOneOf({ LOG_LEVEL: 'DEBUG' }, 'LOG_LEVEL', ['info', 'debug'], 'info'), 'debug')
  assert.equal(
    failure(() => envOneOf({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', ['info', 'debug'], 'info')).message,
    'LOG_LEVEL needs to be one of info, debug, got "loud"',
  )
  assert.equal(envString({ S: ' x ' }, 'S', 'd'), 'x')
})

test('the kit refuses a bad LOG_LEVEL, SERVICE_PORT or SERVICE_STOP_DEADLINE before anything starts', () => {
  assert.match(failure(() => serviceKit({ name: 's', env: { LOG_LEVEL: 'verbose' } })).message, /^LOG_LEVEL/)
  assert.match(failure(() => serviceKit({ name: 's', env: { SERVICE_PORT: '-1' } })).message, /^SERVICE_PORT/)
  assert.match(
    failure(() => serviceKit({ name: 's', env: { SERVICE_STOP_DEADLINE: 'soon' } })).message,
    /^SERVICE_STOP_DEADLINE needs to be a duration/,
  )
  const kit = serviceKit({
    name: 's',
    env: { DLQ_CONSOLE_PORT: '9100', SERVICE_HOST: '0.0.0.0' },
    portVariable: 'DLQ_CONSOLE_PORT',
    defaultPort: 8090,
  })
  assert.deepEqual([kit.host, kit.port], ['0.0.0.0', 9100])
  assert.equal(serviceKit({ name: 's', env: {}, defaultPort: 8090 }).port, 8090)
})
