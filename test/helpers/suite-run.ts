import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from './cli.ts'

/** The contents of published result files (null when missing), to prove a smoke run left them alone. */
export function snapshotFiles(files: readonly string[]): Array<string | null> {
  return files
    .map((file) => join(repoRoot, file))
    .map((path) => (existsSync(path) ? readFileSync(path, 'utf8') : null))
}

/**
 * Runs one of the project's suite runners (`benchmarks/run.ts`, `chaos/run.ts`) to completion in its
 * own process group, so a hung run is killed together with the child it is running after `killAfterMs`.
 */
export async function runSuiteScript(
  script: string,
  env: NodeJS.ProcessEnv,
  killAfterMs: number,
  args: readonly string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const runner = spawn(process.execPath, [join(repoRoot, script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let stdout = ''
  let stderr = ''
  runner.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk
  })
  runner.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  const timer = setTimeout(() => process.kill(-runner.pid!, 'SIGKILL'), killAfterMs)
  const code = await new Promise<number | null>((resolve) => runner.once('exit', resolve))
  clearTimeout(timer)
  return { code, stdout, stderr }
}
