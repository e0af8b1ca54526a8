import assert from 'node:assert/strict'
import { test } from 'node:test'
import { apiBump, atLeast, bumpBetween, bumpVersion } from '../../../scripts/packages/semver.ts'

const report = (...lines: string[]) => ['## API Report', '', '```ts', ...lines, '```', ''].join('\n')

test('bumps a version by major, minor and patch, and leaves it for none', () => {
  assert.equal(bumpVersion('1.4.2', 'major'), '2.0.0')
  assert.equal(bumpVersion('1.4.2', 'minor'), '1.5.0')
  assert.equal(bumpVersion('1.4.2', 'patch'), '1.4.3')
  assert.equal(bumpVersion('1.4.2', 'none'), '1.4.2')
  assert.throws(() => bumpVersion('1.4', 'patch'), /not a x\.y\.z version/)
})

test('names the bump between two versions; a lower version is no bump', () => {
  assert.equal(bumpBetween('1.4.2', '2.0.0'), 'major')
  assert.equal(bumpBetween('1.4.2', '1.5.0'), 'minor')
  assert.equal(bumpBetween('1.4.2', '1.4.3'), 'patch')
  assert.equal(bumpBetween('1.4.2', '1.4.2'), 'none')
  assert.equal(bumpBetween('2.0.0', '1.9.9'), 'none')
  assert.equal(atLeast('minor', 'major'), false)
  assert.equal(atLeast('major', 'minor'), true)
})

test('an API report that lost or changed a line is a major change, one that only gained lines minor', () => {
  const before = report('export function a(): void;', 'export const b: number;')
  assert.equal(apiBump(before, before), 'none')
  assert.equal(
    apiBump(before, report('export function a(): void;', 'export const b: number;', 'export const c: 1;')),
    'minor',
  )
  assert.equal(apiBump(before, report('export function a(): void;')), 'major')
  assert.equal(
    apiBump(before, report('export function a(x: string): void;', 'export const b: number;')),
    'major',
  )
})

test('comments and blank lines of a report (warnings, release tags) are not API', () => {
  const before = report('// @public (undocumented)', 'export function a(): void;')
  const after = report(
    '// Warning: (ae-forgotten-export) X',
    '',
    '    // (undocumented)',
    'export function a(): void;',
  )
  assert.equal(apiBump(before, after), 'none')
})
