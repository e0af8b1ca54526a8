import { fractionDone, type ReplayJobState } from '../../../dlq/index.ts'

/** One line on stderr, redrawn in place on a terminal, appended every 10 % otherwise. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): (state: ReplayJobState) => void {
  let lastTenth = -1
  return (state) => {
    const fraction = fractionDone(state)
    const width = 30
    const filled = Math.round(fraction * width)
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${state.counts.replayed} replayed  ${state.status}`
    if (stream.isTTY) {
      stream.write(`\r${line}`)
      return
    }
    const tenth = Math.floor(fraction * 10)
    if (tenth !== lastTenth) {
      lastTenth = tenth
      stream.write(`${line}\n`)
    }
  }
}
