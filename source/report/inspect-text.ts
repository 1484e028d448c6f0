/**
 * `fcx inspect <_metadata…>` as an indented text tree of everything a `_metadata` file holds (the JSON
 * form is `inspect-json.ts`, whose tag names and conventions this follows). Control characters in
 * names are shown as `\xHH`.
 */
import {
	BYTE_STREAM_STATE_HANDLE,
	CHANGELOG_BYTE_INCREMENT_HANDLE,
	CHANGELOG_FILE_INCREMENT_HANDLE,
	CHANGELOG_FILE_INCREMENT_HANDLE_V2,
	CHANGELOG_HANDLE,
	CHANGELOG_HANDLE_V2,
	EMPTY_SEGMENT_FILE_HANDLE,
	FILE_STREAM_STATE_HANDLE,
	INCREMENTAL_KEY_GROUPS_HANDLE,
	INCREMENTAL_KEY_GROUPS_HANDLE_V2,
	KEY_GROUPS_HANDLE,
	KEY_GROUPS_HANDLE_V2,
	NULL_HANDLE,
	PARTITIONABLE_OPERATOR_STATE_HANDLE,
	RELATIVE_STREAM_STATE_HANDLE,
	SAVEPOINT_KEY_GROUPS_HANDLE,
	SEGMENT_FILE_HANDLE,
	SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE,
} from '../metadata/index.js';
import {describeFormatVersion} from '../metadata/versions.js';
import type {
	AnyChannelStateHandle,
	CheckpointProperties,
	I64,
	KeyGroupRange,
	KeyedStateHandle,
	OperatorStateHandle,
	OperatorStateMetaInfo,
	OperatorSubtaskState,
	ReadResult,
	StreamStateHandle,
} from '../metadata/types.js';
import {formatBytes, visibleLines} from '../text/index.js';
import {DISTRIBUTION_MODES, HANDLE_CLASSES, hex, PREVIEW_BYTES, referenceSummary, SCOPES} from './inspect-json.js';
import {summariseProperties} from './json.js';

function i64Text(value: I64): string {
	return String(value);
}

function sizeText(value: I64): string {
	if (typeof value === 'bigint') {
		return `${value} B`;
	}

	return value < 0 ? 'size unknown' : `${formatBytes(value)}${value >= 1000 ? ` (${value} B)` : ''}`;
}

function rangeText(range: KeyGroupRange): string {
	return range.numberOfKeyGroups === 0 ? 'key groups (empty)' : `key groups ${range.startKeyGroup}-${range.startKeyGroup + range.numberOfKeyGroups - 1}`;
}

function bytesText(bytes: Uint8Array): string {
	const preview = hex(bytes.subarray(0, PREVIEW_BYTES));
	return `${bytes.length} B inline${bytes.length > 0 ? ` [${preview}${bytes.length > PREVIEW_BYTES ? '…' : ''}]` : ''}`;
}

function label(tag: number): string {
	return `${HANDLE_CLASSES[tag] ?? 'unknown'} (tag ${tag})`;
}

function streamLines(handle: StreamStateHandle | null, indent: string, prefix: string): string[] {
	if (!handle) {
		return [`${indent}${prefix}none`];
	}

	switch (handle.tag) {
		case BYTE_STREAM_STATE_HANDLE: {
			return [`${indent}${prefix}${label(BYTE_STREAM_STATE_HANDLE)} ${bytesText(handle.data)} name ${handle.name}`];
		}

		case FILE_STREAM_STATE_HANDLE: {
			return [`${indent}${prefix}${label(FILE_STREAM_STATE_HANDLE)} ${sizeText(handle.size)} ${handle.path}`];
		}

		case RELATIVE_STREAM_STATE_HANDLE: {
			return [`${indent}${prefix}${label(RELATIVE_STREAM_STATE_HANDLE)} ${sizeText(handle.size)} ${handle.relativePath}`];
		}

		case KEY_GROUPS_HANDLE: {
			return [
				`${indent}${prefix}${label(KEY_GROUPS_HANDLE)} ${rangeText(handle.keyGroupRange)}, ${handle.offsets.length} offsets`,
				...streamLines(handle.delegate, `${indent}  `, 'delegate: '),
			];
		}

		case SEGMENT_FILE_HANDLE: {
			return [
				`${indent}${prefix}${label(SEGMENT_FILE_HANDLE)} ${SCOPES[handle.scope] ?? handle.scope} bytes ${i64Text(handle.startPos)}+${i64Text(handle.size)} of ${handle.physicalFilePath} (logical file ${handle.logicalFileId})`,
			];
		}

		case EMPTY_SEGMENT_FILE_HANDLE: {
			return [`${indent}${prefix}${label(EMPTY_SEGMENT_FILE_HANDLE)}`];
		}
	}
}

function handleListLines(name: string, list: {localPath: string; handle: StreamStateHandle | null}[], indent: string): string[] {
	const lines = [`${indent}${name} (${list.length}):`];
	for (const entry of list) {
		lines.push(...streamLines(entry.handle, `${indent}  `, `${entry.localPath} → `));
	}

	return lines;
}

function keyedLines(handle: KeyedStateHandle | null, indent: string, prefix: string): string[] {
	if (!handle) {
		return [`${indent}${prefix}none`];
	}

	const inner = `${indent}  `;
	const id = handle.stateHandleId === undefined ? '' : `, id ${handle.stateHandleId}`;
	switch (handle.tag) {
		case KEY_GROUPS_HANDLE:
		case SAVEPOINT_KEY_GROUPS_HANDLE:
		case KEY_GROUPS_HANDLE_V2: {
			return [
				`${indent}${prefix}${label(handle.tag)} ${rangeText(handle.keyGroupRange)}, ${handle.offsets.length} offsets${id}`,
				...streamLines(handle.delegate, inner, 'delegate: '),
			];
		}

		case INCREMENTAL_KEY_GROUPS_HANDLE:
		case INCREMENTAL_KEY_GROUPS_HANDLE_V2: {
			const size = handle.checkpointedSize === undefined ? '' : `, checkpointed ${sizeText(handle.checkpointedSize)}`;
			return [
				`${indent}${prefix}${label(handle.tag)} checkpoint ${i64Text(handle.checkpointId)}, backend ${handle.backendId}, ${rangeText(handle.keyGroupRange)}${size}${id}`,
				...streamLines(handle.metaState, inner, 'metaState: '),
				...handleListLines('shared', handle.sharedState, inner),
				...handleListLines('private', handle.privateState, inner),
			];
		}

		case CHANGELOG_HANDLE:
		case CHANGELOG_HANDLE_V2: {
			const lines = [
				`${indent}${prefix}${label(handle.tag)} ${rangeText(handle.keyGroupRange)}${handle.checkpointedSize === undefined ? '' : `, checkpointed ${sizeText(handle.checkpointedSize)}`}${handle.materializationId === undefined ? '' : `, materialization ${i64Text(handle.materializationId)}`}${handle.checkpointId === undefined ? '' : `, checkpoint ${i64Text(handle.checkpointId)}`}${id}`,
				`${inner}materialized (${handle.materialized.length}):`,
			];
			for (const part of handle.materialized) {
				lines.push(...keyedLines(part, `${inner}  `, ''));
			}

			lines.push(`${inner}changelog (${handle.nonMaterialized.length}):`);
			for (const part of handle.nonMaterialized) {
				lines.push(...keyedLines(part, `${inner}  `, ''));
			}

			return lines;
		}

		case CHANGELOG_BYTE_INCREMENT_HANDLE: {
			const bytes = handle.changes.reduce((sum, change) => sum + change.data.length, 0);
			return [
				`${indent}${prefix}${label(CHANGELOG_BYTE_INCREMENT_HANDLE)} ${rangeText(handle.keyGroupRange)}, sequence ${i64Text(handle.from)}..${i64Text(handle.to)}, ${handle.changes.length} changes, ${bytes} B inline${id}`,
			];
		}

		case CHANGELOG_FILE_INCREMENT_HANDLE:
		case CHANGELOG_FILE_INCREMENT_HANDLE_V2: {
			const lines = [
				`${indent}${prefix}${label(handle.tag)} ${rangeText(handle.keyGroupRange)}, size ${sizeText(handle.size)}${handle.checkpointedSize === undefined ? '' : `, checkpointed ${sizeText(handle.checkpointedSize)}`}${handle.storageIdentifier === undefined ? '' : `, storage ${handle.storageIdentifier}`}${id}`,
			];
			for (const entry of handle.handles) {
				lines.push(...streamLines(entry.handle, inner, `@${i64Text(entry.offset)} `));
			}

			return lines;
		}
	}
}

function statesLines(states: OperatorStateMetaInfo[], indent: string): string[] {
	return states.map(
		(state) =>
			`${indent}state "${state.name}" ${DISTRIBUTION_MODES[state.distributionMode] ?? `mode ${state.distributionMode}`}, ${state.offsets.length} ${state.offsets.length === 1 ? 'offset' : 'offsets'}`,
	);
}

function operatorHandleLines(handle: OperatorStateHandle | null, indent: string, prefix: string): string[] {
	if (!handle) {
		return [`${indent}${prefix}none`];
	}

	const inner = `${indent}  `;
	switch (handle.tag) {
		case NULL_HANDLE: {
			return [`${indent}${prefix}null handle (flag set, tag 0)`];
		}

		case PARTITIONABLE_OPERATOR_STATE_HANDLE: {
			return [
				`${indent}${prefix}${label(PARTITIONABLE_OPERATOR_STATE_HANDLE)}`,
				...statesLines(handle.states, inner),
				...streamLines(handle.delegate, inner, 'delegate: '),
			];
		}

		case SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE: {
			return [
				`${indent}${prefix}${handle.isEmpty ? 'EmptyFileMergingOperatorStreamStateHandle (tag 17)' : label(SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE)}`,
				...statesLines(handle.states, inner),
				`${inner}task-owned dir: ${handle.taskOwnedDirectory}`,
				`${inner}shared dir: ${handle.sharedDirectory}`,
				...streamLines(handle.delegate, inner, 'delegate: '),
			];
		}
	}
}

function channelLines(handles: AnyChannelStateHandle[], name: string, indent: string): string[] {
	if (handles.length === 0) {
		return [];
	}

	const lines = [`${indent}${name} (${handles.length}):`];
	for (const handle of handles) {
		if (handle.type === 'merged') {
			lines.push(`${indent}  merged, subtask ${handle.subtaskIndex}, ${handle.channels.length} channels, total ${sizeText(handle.totalSize)}`);
		} else {
			lines.push(`${indent}  channel (${handle.info[0]}, ${handle.info[1]}), ${sizeText(handle.size)}, ${handle.offsets.length} offsets`);
		}

		lines.push(...streamLines(handle.delegate, `${indent}    `, 'delegate: '));
	}

	return lines;
}

function subtaskLines(state: OperatorSubtaskState, indent: string): string[] {
	const lines: string[] = [];
	if (state.managedOperatorState) {
		lines.push(...operatorHandleLines(state.managedOperatorState, indent, 'managed operator state: '));
	}

	if (state.rawOperatorState) {
		lines.push(...operatorHandleLines(state.rawOperatorState, indent, 'raw operator state: '));
	}

	if (state.managedKeyedState) {
		lines.push(...keyedLines(state.managedKeyedState, indent, 'managed keyed state: '));
	}

	if (state.rawKeyedState) {
		lines.push(...keyedLines(state.rawKeyedState, indent, 'raw keyed state: '));
	}

	lines.push(
		...channelLines(state.inputChannelState, 'input channel state', indent),
		...channelLines(state.resultSubpartitionState, 'result subpartition state', indent),
	);
	for (const legacy of state.legacyOperatorState ?? []) {
		lines.push(...streamLines(legacy, indent, 'legacy operator state: '));
	}

	if (state.refCheckpointId !== undefined && state.refCheckpointId !== null) {
		lines.push(`${indent}ref checkpoint ${i64Text(state.refCheckpointId)}`);
	}

	if (lines.length === 0) {
		lines.push(`${indent}no state`);
	}

	return lines;
}

function propertiesText(properties: CheckpointProperties): string {
	const summary = summariseProperties(properties);
	if (!summary) {
		return 'none';
	}

	const type = properties.checkpointType
		? `${properties.checkpointType.name} (${properties.checkpointType.kind === 'checkpoint' ? 'CheckpointType' : 'SavepointType'})`
		: 'no type';
	const extra = [
		summary.sharingFilesStrategy && `sharing ${summary.sharingFilesStrategy}`,
		summary.formatType && `format ${summary.formatType}`,
		summary.postCheckpointAction && `post-checkpoint ${summary.postCheckpointAction}`,
	].filter(Boolean);
	const discard = (['discardSubsumed', 'discardFinished', 'discardCancelled', 'discardFailed', 'discardSuspended'] as const)
		.filter((key) => properties[key])
		.map((key) => key.slice('discard'.length).toLowerCase());
	return [
		type,
		...extra,
		`forced=${properties.forced}`,
		`discard on: ${discard.length > 0 ? discard.join(',') : 'never (retained)'}`,
		`unclaimed=${properties.unclaimed === undefined ? 'absent' : String(properties.unclaimed)}`,
	].join(', ');
}

/** Everything parsed from one `_metadata` as an indented text tree (ends with `\n`; control characters in its strings written as `\xHH`). */
export function inspectToText(path: string, result: ReadResult): string {
	let text = '';
	for (const chunk of inspectTextChunks(path, result)) text += chunk;
	return text;
}

/** Lines gathered before they are escaped and yielded as one chunk by {@link inspectTextChunks}. */
const BATCH_LINES = 8192;

/**
 * {@link inspectToText} in chunks of about {@link BATCH_LINES} lines, subtask by subtask and
 * reference by reference: a 16 MB incremental `_metadata` makes about 45 MB of text, and built
 * whole its 800,000 lines and the text held 380 MB and kept the collector busy.
 */
export function* inspectTextChunks(path: string, result: ReadResult): Generator<string, void, undefined> {
	const {metadata, references} = result;
	let lines: string[] = [`_metadata: ${path}`, `Format version: ${metadata.version} (${describeFormatVersion(metadata.version)})`];
	// Channel state and changelog handles exist from format version 3 on: the variants mean nothing before.
	if (metadata.version >= 3) {
		lines.push(`Layout variant: channel state ${metadata.layout.channelState}, changelog ${metadata.layout.changelog}`);
	}

	lines.push(`Checkpoint id:  ${i64Text(metadata.checkpointId)}`);
	if (metadata.legacy !== undefined) {
		// Only the header of a Flink 1.1/1.2 file is read: its operators and files are not known, not absent.
		lines.push(`Legacy format:  ${metadata.legacy}`, 'Operators and file references: not read (legacy format)');
		yield visibleLines(lines);
		return;
	}

	if (metadata.trailer) {
		const {trailer} = metadata;
		lines.push(`Properties:     ${trailer.properties ? propertiesText(trailer.properties) : 'null (Flink wrote no properties)'}`);
	} else {
		lines.push('Properties:     (none before format version 4)');
	}

	lines.push(`Master states (${metadata.masterStates.length}):`);
	for (const state of metadata.masterStates) {
		lines.push(`  ${state.name} version ${state.version}, payload ${bytesText(state.payload)}`);
	}

	lines.push(`Operators (${metadata.operators.length}):`);
	for (const operator of metadata.operators) {
		const name = operator.name ? ` "${operator.name}"` : '';
		const uid = operator.uid ? ` uid "${operator.uid}"` : '';
		lines.push(
			`  operator ${operator.operatorId}${name}${uid}, parallelism ${operator.parallelism}, max parallelism ${operator.maxParallelism}${operator.fullyFinished ? ', FULLY FINISHED' : ''}`,
		);
		if (operator.coordinatorState) {
			lines.push(...streamLines(operator.coordinatorState, '    ', 'coordinator: '));
		}

		for (const entry of operator.subtasks) {
			if (entry.finished) {
				lines.push(`    subtask ${entry.subtaskIndex}: finished`);
				continue;
			}

			lines.push(`    subtask ${entry.subtaskIndex}:`);
			for (const line of subtaskLines(entry.state, '      ')) lines.push(line);
			if (lines.length >= BATCH_LINES) {
				yield visibleLines(lines);
				lines = [];
			}
		}
	}

	const summary = referenceSummary(references);
	const byHandle = Object.entries(summary.byHandle)
		.map(([handle, count]) => `${handle} ${count}`)
		.join(', ');
	lines.push(`File references (${summary.total}${byHandle ? `: ${byHandle}` : ''}; ${summary.distinctPaths} distinct paths):`);
	for (const reference of references) {
		const where = `${reference.operatorId}${reference.subtaskIndex === null ? '' : `/${reference.subtaskIndex}`} ${reference.slot}/${reference.role}${reference.localPath ? ` ${reference.localPath}` : ''}`;
		const segment = reference.startPos === undefined ? '' : ` @${reference.startPos}`;
		const scope = reference.scope === undefined ? '' : ` ${reference.scope}`;
		lines.push(
			`  ${reference.handle.padEnd(9)} ${reference.size < 0 ? 'size unknown' : `${reference.size} B`}${segment}${scope}  ${reference.path}  (${where})`,
		);
		if (lines.length >= BATCH_LINES) {
			yield visibleLines(lines);
			lines = [];
		}
	}

	if (lines.length > 0) yield visibleLines(lines);
}
