/**
 * kafkajs 2.2.4 schedules a negative timeout on Node >= 23 (tulios/kafkajs#1751). Node then prints
 * a TimeoutNegativeWarning that is harmless but lands in front of command output. This replaces the
 * default warning printer with one that drops only that warning.
 */
export function silenceKafkajsTimeoutWarning(): void {
  process.removeAllListeners('warning')
  process.on('warning', (warning) => {
    if (warning.name !== 'TimeoutNegativeWarning')
      process.stderr.write(`${warning.name}: ${warning.message}\n`)
  })
}
