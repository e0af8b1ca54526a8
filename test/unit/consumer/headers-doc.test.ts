import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { allHeaders } from '#libs/consumer'

test('every context header is documented in docs/consumer-runtime.md, and nothing else is', () => {
  const doc = readFileSync(new URL('../../../docs/consumer-runtime.md', import.meta.url), 'utf8')
  const documented = new Set([...doc.matchAll(/^\|\s*`(eb\.[a-z.]+)`/gm)].map((m) => m[1]))
  assert.deepEqual(documented, new Set(allHeaders))
})
