import { execFile, spawn } from 'node:child_process'
import { join } from 'node:path'

export const repoRoot = new URL('../../', import.meta.url).pathname
export const cliPath = join(repoRoot, 'bin/backbone.js')

export interface CliResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `backbone …` to completion (bounded) and returns its exit status and output. Asynchronous on
 * purpose: a server the test runs in its own process (a registry) must keep answering meanwhile.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0
        resolve({ status, stdout, stderr })
      },
    )
  })
}

/** Starts a long-running `backbone …` command (a server); the caller stops it. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
}
