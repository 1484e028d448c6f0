/**
 * Public API of the `_metadata` reader and writer (the library entry of `flink-checkpoint-explorer`):
 *
 * ```ts
 * import {readMetadata, writeMetadata} from 'flink-checkpoint-explorer';
 * const {metadata, references} = readMetadata(bytes, {fileName: 'chk-7/_metadata'});
 * ```
 */
export {readMetadata, readReferences} from './reader.js';
export {writeMetadata} from './writer.js';
export {collectReferences} from './references.js';
export {MetadataFileReader, readMetadataBytes, readMetadataFile, readRegularFileBytes, MAX_METADATA_BYTES} from './file.js';
export {ParseError} from './errors.js';
export {scanPathStrings, type ApproximateReference} from './approximate.js';
export type * from './types.js';
export {describeFormatVersion} from './versions.js';
export {checkpointProperties, savepointProperties, type CheckpointRetentionPolicy} from './properties.js';
export * from './tags.js';
