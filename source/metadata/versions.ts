/**
 * What each `_metadata` format version means, for people reading the output (FORMAT.md §2).
 */

/**
 * A short description of a format version: which Flink releases write it and, for version 7, that
 * it comes from an unreleased Flink change (apache/flink PR #28963, FLIP-600) whose number and
 * layout may still change.
 */
export function describeFormatVersion(version: number): string {
	switch (version) {
		case 0:
			return 'legacy format (Flink 1.1), recognised only';
		case 1:
			return 'legacy format (Flink 1.2), recognised only';
		case 2:
			return 'Flink 1.3 – 1.10 (MetadataV2Serializer)';
		case 3:
			return 'Flink 1.11 – 1.15 (MetadataV3Serializer)';
		case 4:
			return 'Flink 1.16 – 1.20 (MetadataV4Serializer)';
		case 5:
			return 'Flink 2.0 (MetadataV5Serializer)';
		case 6:
			return 'Flink 2.1 and later (MetadataV6Serializer)';
		case 7:
			return 'UNRELEASED format (MetadataV7Serializer of apache/flink PR #28963, FLIP-600): read as proposed, may change';
		default:
			return `unknown format version ${version}`;
	}
}
