// The header names are part of the wire contract (libs/kafka/src/wire): re-exported here so the
// runtime's own modules keep one import path.
export { allHeaders, Header, headerLimits, Stage } from '#libs/kafka'
