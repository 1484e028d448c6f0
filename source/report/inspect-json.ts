/**
 * `fcx inspect <_metadata…> --json` (or the directories holding them): everything a `_metadata` file
 * holds, as JSON, lossless for numbers. The text tree is `inspect-text.ts`.
 *
 * JSON conventions: Java `long` values that are not safe integers (`bigint` in the model) are
 * strings; safe ones stay numbers. Inline byte arrays are not dumped: they become
 * `{length, preview}` with a hex preview of the first {@link PREVIEW_BYTES} bytes. Every state
 * handle carries its tag and its Flink class name (`class`).
 *
 * The conventions are in `inspect-json-values.ts`, the handles' JSON in `inspect-json-handles.ts`
 * (both re-exported here), the streaming writer is `inspect-json-chunks.ts`.
 */
import {describeFormatVersion} from '../metadata/versions.js';
import type {CheckpointProperties, FileReference, ReadResult} from '../metadata/types.js';
import {summariseProperties, type ReportProperties} from './json.js';
import {jsonBytes, jsonI64, type JsonBytes, type JsonHandle, type JsonI64} from './inspect-json-values.js';
import {operatorJson} from './inspect-json-handles.js';
import {distinctCount} from './inspect-json-distinct.js';

export * from './inspect-json-values.js';
export * from './inspect-json-handles.js';

/** The JSON form of `fcx inspect` for one file. */
export interface InspectJson {
	/** The `_metadata` path as given. */
	path: string;
	version: number;
	/** What the version means (which Flink writes it; V7 is marked as unreleased). */
	versionDescription: string;
	checkpointId: JsonI64;
	layout: {channelState: string; changelog: string};
	/** Versions 0/1: why the body is not decoded. */
	legacy?: string;
	/** V4+ trailer; `undefined` for V2/V3. */
	properties?: {
		/** Summary, `null` when `TC_NULL` or undecodable. */
		summary: ReportProperties | null;
		/** All decoded fields, `null` when `TC_NULL` or undecodable. */
		decoded: CheckpointProperties | null;
		/** Length of the raw Java-serialization bytes, when kept. */
		rawLength?: number;
		error?: string;
	};
	masterStates: {name: string; version: number; payload: JsonBytes}[];
	operators: JsonHandle[];
	/** The flat list of file references, in file order. */
	references: {[key: string]: unknown}[];
	/** Totals over `references`. */
	referenceSummary: {total: number; byHandle: Record<string, number>; distinctPaths: number; bytes: number};
}

/** JSON of one file reference (an element of {@link InspectJson.references}). */
export function referenceJson(reference: FileReference): {[key: string]: unknown} {
	const out: {[key: string]: unknown} = {
		handle: reference.handle,
		path: reference.path,
		size: reference.size,
	};
	if (reference.startPos !== undefined) {
		out.startPos = reference.startPos;
	}

	if (reference.scope !== undefined) {
		out.scope = reference.scope;
	}

	out.operatorId = reference.operatorId;
	out.subtaskIndex = reference.subtaskIndex;
	out.slot = reference.slot;
	out.role = reference.role;
	if (reference.localPath !== undefined) {
		out.localPath = reference.localPath;
	}

	return out;
}

/**
 * Totals of file references added one by one: {@link referenceSummary} of those added. The
 * streaming `inspect --json` adds each as it writes it, instead of a second pass over 100,000s.
 */
export class ReferenceTotals {
	private readonly byHandle: Record<string, number> = {};
	private readonly paths: string[] = [];
	private bytes = 0;
	private total = 0;

	/** Count `reference`. */
	add(reference: FileReference): void {
		this.total++;
		this.byHandle[reference.handle] = (this.byHandle[reference.handle] ?? 0) + 1;
		if (reference.handle !== 'inline') {
			this.paths.push(reference.path);
		}

		if (reference.size > 0) {
			this.bytes += reference.size;
		}
	}

	/** The totals so far: counts by handle kind (in the order first seen), distinct paths (not of inline data), bytes. */
	summary(): InspectJson['referenceSummary'] {
		return {total: this.total, byHandle: {...this.byHandle}, distinctPaths: distinctCount(this.paths), bytes: this.bytes};
	}
}

/** Counts of the file references of a `_metadata` by handle kind, and its distinct paths. */
export function referenceSummary(references: readonly FileReference[]): InspectJson['referenceSummary'] {
	const totals = new ReferenceTotals();
	for (const reference of references) totals.add(reference);
	return totals.summary();
}

/**
 * Everything parsed from one `_metadata` as a JSON-able object. `JSON.stringify` never throws on
 * it (no bigint, no typed arrays). `inspectJsonChunks` writes the same text without building it.
 */
export function inspectToJson(path: string, result: ReadResult): InspectJson {
	// Assigning keys the shell has keeps their place: the key order stays the shell's.
	return {...inspectJsonShell(path, result), operators: result.metadata.operators.map(operatorJson), references: result.references.map(referenceJson)};
}

/**
 * {@link inspectToJson} with `operators` and `references` left empty (their keys in place), for a
 * writer that renders those two, the bulk of a big file, element by element.
 * @param summary the `referenceSummary` (default: of `result.references`); a writer that counts the
 *   references as it writes them passes a stand-in and writes its own in its place
 */
export function inspectJsonShell(path: string, result: ReadResult, summary?: InspectJson['referenceSummary']): InspectJson {
	const {metadata, references} = result;
	const out: InspectJson = {
		path,
		version: metadata.version,
		versionDescription: describeFormatVersion(metadata.version),
		checkpointId: jsonI64(metadata.checkpointId),
		layout: {channelState: metadata.layout.channelState, changelog: metadata.layout.changelog},
		masterStates: metadata.masterStates.map((state) => ({name: state.name, version: state.version, payload: jsonBytes(state.payload)})),
		operators: [],
		references: [],
		referenceSummary: summary ?? referenceSummary(references),
	};

	if (metadata.legacy !== undefined) {
		out.legacy = metadata.legacy;
	}

	if (metadata.trailer) {
		const {trailer} = metadata;
		out.properties = {
			summary: summariseProperties(trailer.properties),
			decoded: trailer.properties
				? {...trailer.properties, checkpointType: trailer.properties.checkpointType ? {...trailer.properties.checkpointType} : null}
				: null,
			...(trailer.raw === undefined ? {} : {rawLength: trailer.raw.length}),
		};
	}

	return out;
}
