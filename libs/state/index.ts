export type { Horizon } from './src/horizon.ts'
export { retentionMsFor, segmentMsFor, WriteTimes } from './src/horizon.ts'
export type {
  Applied,
  Changes,
  PartitionStoreOptions,
  RestoreInfo,
  ValueCodec,
} from './src/partition-store.ts'
export { APPLIED_KEY, changelogTopicSpec, jsonCodec, PartitionStore } from './src/partition-store.ts'
export type { ChangelogVisitor, ReadOptions } from './src/read-partition.ts'
export { FENCE_KEY, readPartition, restoreFetchBytes, scanPartition } from './src/read-partition.ts'
