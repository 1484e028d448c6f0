/**
 * The handle tags of the `_metadata` body: the byte in front of every state handle, named as Flink's
 * `MetadataV2V3SerializerBase` names them (its `private static final byte … _HANDLE` constants). One
 * numbering space serves stream, keyed and operator handles; which tags may appear depends on where
 * the handle is read (docs/format.md#state-handles).
 */

/** No handle (`null`). */
export const NULL_HANDLE = 0;
/** `ByteStreamStateHandle`: state bytes inline in the `_metadata`. */
export const BYTE_STREAM_STATE_HANDLE = 1;
/** `FileStateHandle`: a file by absolute path. */
export const FILE_STREAM_STATE_HANDLE = 2;
/** `KeyGroupsStateHandle` (Flink ≤ 1.14 writers; later only nested as a stream handle). */
export const KEY_GROUPS_HANDLE = 3;
/** `OperatorStreamStateHandle`: operator (non-keyed) state. */
export const PARTITIONABLE_OPERATOR_STATE_HANDLE = 4;
/** `IncrementalRemoteKeyedStateHandle` without checkpointed size and state-handle id (≤ 1.14). */
export const INCREMENTAL_KEY_GROUPS_HANDLE = 5;
/** `RelativeFileStateHandle`: a file relative to the `_metadata`'s directory (1.11+). */
export const RELATIVE_STREAM_STATE_HANDLE = 6;
/** `KeyGroupsSavepointStateHandle`: canonical savepoint keyed state (1.13+). */
export const SAVEPOINT_KEY_GROUPS_HANDLE = 7;
/** `ChangelogStateBackendHandle`, first layout (1.14/1.15). */
export const CHANGELOG_HANDLE = 8;
/** `InMemoryChangelogStateHandle`: changelog increments inline (1.14+). */
export const CHANGELOG_BYTE_INCREMENT_HANDLE = 9;
/** `ChangelogStateHandleStreamImpl`, first layout (1.14/1.15). */
export const CHANGELOG_FILE_INCREMENT_HANDLE = 10;
/** `IncrementalRemoteKeyedStateHandle` with checkpointed size and state-handle id (1.15+). */
export const INCREMENTAL_KEY_GROUPS_HANDLE_V2 = 11;
/** `KeyGroupsStateHandle` with a state-handle id (1.15+). */
export const KEY_GROUPS_HANDLE_V2 = 12;
/** `ChangelogStateHandleStreamImpl` with a storage identifier (1.16+). */
export const CHANGELOG_FILE_INCREMENT_HANDLE_V2 = 13;
/** `ChangelogStateBackendHandle` with a checkpoint id (1.16+). */
export const CHANGELOG_HANDLE_V2 = 14;
/** `SegmentFileStateHandle`: a segment of a physical file shared by file merging (1.20+). */
export const SEGMENT_FILE_HANDLE = 15;
/** `EmptySegmentFileStateHandle`: an empty segment, no bytes on disk (1.20+). */
export const EMPTY_SEGMENT_FILE_HANDLE = 16;
/** `FileMergingOperatorStreamStateHandle` (and its empty variant): operator state under file merging (1.20+). */
export const SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE = 17;
