/**
 * For services started by `backbone up`: the parent holds the write end of this process's stdin.
 * When the parent dies, even by SIGKILL, stdin ends and the service stops itself gracefully
 * (SIGTERM to itself), so no service outlives the stack that started it.
 */
export function stopWhenParentDies(env: NodeJS.ProcessEnv = process.env): void {
  if (env['BACKBONE_LIFELINE'] !== '1') return
  process.stdin.on('data', () => {})
  process.stdin.once('end', () => process.kill(process.pid, 'SIGTERM'))
  process.stdin.resume()
  // The lifeline must not keep an otherwise finished process alive.
  ;(process.stdin as unknown as { unref?: () => void }).unref?.()
}
