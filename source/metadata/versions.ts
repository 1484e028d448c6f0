/**
 * The `_metadata` format versions in one table: which Flink releases and serializer write each, and
 * what its body holds that other versions do not (docs/format.md#versions). The reader and the
 * writer ask this table instead of comparing version numbers.
 */
import type {ChannelStateLayout} from './types.js';

/** What one format version's body holds, as Flink's `MetadataV<n>Serializer`s differ. */
export interface FormatFeatures {
	/** Which Flink releases write it, and the serializer class. */
	description: string;
	/** V0/V1 (Flink 1.1/1.2): recognised only; the body is not decoded. */
	legacy: boolean;
	/** V2 only (`MetadataV2Serializer`): an operator chain length, and per subtask an unused duration and legacy operator state. */
	v2Fields: boolean;
	/** V3+: operator coordinator state, finished subtasks and fully finished operators, channel state (unaligned checkpoints). */
	coordinatorAndChannelState: boolean;
	/** V4+ (`MetadataV4Serializer`): the Java-serialized `CheckpointProperties` trailer. */
	propertiesTrailer: boolean;
	/** V5+ (`MetadataV5Serializer`): operator name and uid before the operator id. */
	operatorNameAndUid: boolean;
	/** V7 (unreleased): a `refCheckpointId` per subtask. */
	refCheckpointId: boolean;
	/** Channel-state handle layouts this version may hold, in the order they are tried (V3: 1.12+ then 1.11). */
	channelLayouts: readonly ChannelStateLayout[];
	/** Changelog handle layouts, in the order they are tried (V3: 1.15+ then 1.14). */
	changelogLayouts: readonly ('1.15' | '1.14')[];
	/** Fewest bytes one operator state takes (the check of the operator count). */
	minOperatorBytes: number;
}

const LEGACY = {legacy: true, v2Fields: false, coordinatorAndChannelState: false, propertiesTrailer: false, operatorNameAndUid: false, refCheckpointId: false};
const V3 = {
	legacy: false,
	v2Fields: false,
	coordinatorAndChannelState: true,
	refCheckpointId: false,
	changelogLayouts: ['1.15'],
	minOperatorBytes: 29,
} as const;

/**
 * Every format version, 0 … 7. Version 7 is the unreleased `MetadataV7Serializer` of apache/flink
 * PR #28963 (FLIP-600), read as proposed: its number and layout may still change.
 */
export const FORMAT_VERSIONS: readonly FormatFeatures[] = [
	{...LEGACY, description: 'legacy format (Flink 1.1), recognised only', channelLayouts: ['B'], changelogLayouts: ['1.15'], minOperatorBytes: 0},
	{...LEGACY, description: 'legacy format (Flink 1.2), recognised only', channelLayouts: ['B'], changelogLayouts: ['1.15'], minOperatorBytes: 0},
	{
		...LEGACY,
		legacy: false,
		v2Fields: true,
		description: 'Flink 1.3 – 1.10 (MetadataV2Serializer)',
		channelLayouts: ['B'],
		changelogLayouts: ['1.15'],
		minOperatorBytes: 32,
	},
	{
		...V3,
		description: 'Flink 1.11 – 1.15 (MetadataV3Serializer)',
		propertiesTrailer: false,
		operatorNameAndUid: false,
		channelLayouts: ['B', 'A'],
		changelogLayouts: ['1.15', '1.14'],
	},
	{...V3, description: 'Flink 1.16 – 1.20 (MetadataV4Serializer)', propertiesTrailer: true, operatorNameAndUid: false, channelLayouts: ['B']},
	{...V3, description: 'Flink 2.0 (MetadataV5Serializer)', propertiesTrailer: true, operatorNameAndUid: true, channelLayouts: ['B'], minOperatorBytes: 33},
	{
		...V3,
		description: 'Flink 2.1 and later (MetadataV6Serializer)',
		propertiesTrailer: true,
		operatorNameAndUid: true,
		channelLayouts: ['C'],
		minOperatorBytes: 33,
	},
	{
		...V3,
		description: 'UNRELEASED format (MetadataV7Serializer of apache/flink PR #28963, FLIP-600): read as proposed, may change',
		propertiesTrailer: true,
		operatorNameAndUid: true,
		refCheckpointId: true,
		channelLayouts: ['C'],
		minOperatorBytes: 33,
	},
];

/** Highest format version this reader understands (7 = the unreleased `MetadataV7Serializer`). */
export const MAX_VERSION = FORMAT_VERSIONS.length - 1;

/** The features of `version`; `undefined` for a version outside 0 … {@link MAX_VERSION}. */
export function formatFeatures(version: number): FormatFeatures | undefined {
	return Number.isInteger(version) ? FORMAT_VERSIONS[version] : undefined;
}

/**
 * A short description of a format version: which Flink releases write it and, for version 7, that
 * it comes from an unreleased Flink change (apache/flink PR #28963, FLIP-600) whose number and
 * layout may still change.
 */
export function describeFormatVersion(version: number): string {
	return formatFeatures(version)?.description ?? `unknown format version ${version}`;
}
