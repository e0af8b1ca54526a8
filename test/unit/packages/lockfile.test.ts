import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
// @ts-expect-error: a plain JS script without types (it runs before dependencies are installed)
import { missingPlatformEntries } from '../../../scripts/lock-platforms.js'

test('the lock lists every optional platform build, so npm ci on a clean machine accepts it', () => {
  const lock = JSON.parse(readFileSync(new URL('../../../package-lock.json', import.meta.url), 'utf8'))
  const missing = (missingPlatformEntries(lock) as Array<{ key: string }>).map((entry) => entry.key)
  assert.deepEqual(missing, [], 'run `npm run lock:platforms` after npm install and commit the lock')
})
