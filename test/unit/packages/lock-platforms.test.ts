import assert from 'node:assert/strict'
import { test } from 'node:test'
// @ts-expect-error: a plain JS script without types (it runs before dependencies are installed)
import { missingPlatformEntries } from '../../../scripts/lock-platforms.js'

test("lock:platforms adds workerd's builds, named windows-64 and darwin-64, with npm's os and cpu names", () => {
  const version = '1.20261123.1'
  const lock = {
    packages: {
      '': {},
      'node_modules/workerd': {
        version,
        dev: true,
        optionalDependencies: {
          '@cloudflare/workerd-darwin-64': version,
          '@cloudflare/workerd-linux-64': version,
          '@cloudflare/workerd-windows-64': version,
        },
      },
      'node_modules/@cloudflare/workerd-linux-64': { version, os: ['linux'], cpu: ['x64'] },
    },
  }
  const missing = missingPlatformEntries(lock) as Array<{
    key: string
    entry: { os: string[]; cpu: string[] }
  }>
  assert.deepEqual(
    missing.map(({ key, entry }) => [key, entry.os[0], entry.cpu[0]]),
    [
      ['node_modules/@cloudflare/workerd-darwin-64', 'darwin', 'x64'],
      ['node_modules/@cloudflare/workerd-windows-64', 'win32', 'x64'],
    ],
  )
})
