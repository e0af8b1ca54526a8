import assert from 'node:assert/strict'
import { test } from 'node:test'
import { uuidFrom } from '#libs/events'

test('uuidFrom gives the same canonical UUID for the same parts and different ones otherwise', () => {
  const id = uuidFrom('ledger-posting', 'a1b2')
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.equal(uuidFrom('ledger-posting', 'a1b2'), id)
  assert.notEqual(uuidFrom('ledger-posting', 'a1b3'), id)
  assert.notEqual(uuidFrom('ledger-postinga', '1b2'), id, 'parts are separated, not concatenated')
})
