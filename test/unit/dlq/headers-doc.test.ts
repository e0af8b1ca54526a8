import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { ReplayHeader } from '#libs/dlq'

test('every replay header is documented in docs/dlq.md, and nothing else is', () => {
  const doc = readFileSync(new URL('../../../docs/dlq.md', import.meta.url), 'utf8')
  const documented = new Set([...doc.matchAll(/^\|\s*`(eb\.replay\.[a-z.]+)`/gm)].map((m) => m[1]))
  assert.deepEqual(documented, new Set(Object.values(ReplayHeader)))
})
