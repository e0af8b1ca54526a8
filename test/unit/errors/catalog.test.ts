import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import * as errors from '@event-backbone/errors'

type ErrorClass = errors.BackboneErrorClass

const classes = Object.entries(errors).filter(
  (entry): entry is [string, ErrorClass] =>
    typeof entry[1] === 'function' && typeof (entry[1] as Partial<ErrorClass>).code === 'string',
)

function documentedRows(): Map<string, { className: string; retriable: boolean; httpStatus: number }> {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
  const rows = new Map<string, { className: string; retriable: boolean; httpStatus: number }>()
  for (const match of doc.matchAll(
    /^\|\s*`(EB_[A-Z0-9_]+)`\s*\|\s*(\w+)\s*\|\s*(yes|no)\s*\|\s*(\d{3})\s*\|/gm,
  )) {
    rows.set(match[1]!, { className: match[2]!, retriable: match[3] === 'yes', httpStatus: Number(match[4]) })
  }
  return rows
}

test('every error class has a unique EB_ code and a name equal to its export', () => {
  const codes = new Set<string>()
  for (const [exportName, ErrorClass] of classes) {
    assert.match(ErrorClass.code, /^EB_[A-Z0-9_]+$/)
    assert.ok(!codes.has(ErrorClass.code), `${ErrorClass.code} is used twice`)
    codes.add(ErrorClass.code)
    const instance = new ErrorClass()
    assert.equal(instance.name, exportName)
    assert.equal(ErrorClass.name, exportName)
    assert.equal(instance.code, ErrorClass.code)
    assert.ok(instance instanceof errors.BackboneError)
    assert.ok(instance.message.length > 0)
  }
})

test('every code in the code is documented in docs/errors.md with its class, retriability and HTTP status', () => {
  const rows = documentedRows()
  for (const [exportName, ErrorClass] of classes) {
    const row = rows.get(ErrorClass.code)
    assert.ok(row, `${ErrorClass.code} is missing from docs/errors.md`)
    assert.equal(row.className, exportName, `docs/errors.md names the wrong class for ${ErrorClass.code}`)
    assert.equal(
      row.retriable,
      ErrorClass.retriable,
      `docs/errors.md has the wrong retriable for ${ErrorClass.code}`,
    )
    assert.equal(
      row.httpStatus,
      ErrorClass.httpStatus,
      `docs/errors.md has the wrong HTTP status for ${ErrorClass.code}`,
    )
    assert.equal(new ErrorClass().httpStatus, ErrorClass.httpStatus)
  }
})

test('every documented code exists in the code', () => {
  const codes = new Set(classes.map(([, ErrorClass]) => ErrorClass.code))
  for (const code of documentedRows().keys())
    assert.ok(codes.has(code), `docs/errors.md lists unknown ${code}`)
})

test('an error keeps its cause and context', () => {
  const cause = new Error('root')
  const error = new errors.BrokerStartError('boom', { cause, context: { topic: 't', partition: 1 } })
  assert.equal(error.cause, cause)
  assert.deepEqual(error.context, { topic: 't', partition: 1 })
  assert.equal(error.retriable, true)
})
