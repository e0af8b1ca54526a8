// Proves that every `backbone` command answers --help with its own usage (exit 0), and that an unknown option is a usage error (exit 2) that names it, not a stack trace.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runCli } from '../../helpers/cli.ts'

const commands = [
  'up',
  'status',
  'kafka',
  'registry',
  'schemas',
  'topics',
  'acl',
  'dlq',
  'groups',
  'triggers',
]

test('every command prints its own usage for --help, -h and help, and exits 0', async () => {
  for (const command of commands) {
    for (const flag of ['--help', '-h', 'help']) {
      const result = await runCli([command, flag])
      assert.equal(result.status, 0, `${command} ${flag}: ${result.stderr}`)
      assert.match(result.stdout, new RegExp(`^usage: backbone ${command}\\b`), `${command} ${flag}`)
    }
  }
})

test('an unknown option is a usage error naming it, with exit 2 and no stack trace', async () => {
  for (const args of [
    ['status', '--bogus'],
    ['up', '--bogus'],
  ]) {
    const result = await runCli(args)
    assert.equal(result.status, 2, result.stderr)
    assert.match(result.stderr, /Unknown option '--bogus'.*\[EB_USAGE\]/)
    assert.doesNotMatch(result.stderr, /unexpected error|\n\s+at /)
  }
})
