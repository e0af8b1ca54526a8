// The publisher's partitioner lives with the other kafkajs helpers: the exactly-once producers use it too.
export { recordingPartitioner } from '#libs/kafka'
