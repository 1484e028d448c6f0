/**
 * The JSON report as a stream of text chunks: exactly what `JSON.stringify(reportToJson(…), null, 2)`
 * writes, without holding the whole text (over a gigabyte for a million-file tree with `--files`).
 */
import type {Analysis, CheckpointAnalysis, ResolvedFile} from '../analysis/types.js';
import {sortByPath} from '../text/index.js';
import {ByteChunks} from './json-bytes.js';
import {fileRanks, orderedFiles, type FileRanks} from './json-files.js';
import {checkpointHeadToJson, dependencyToJson, num, reportParts} from './json.js';
import type {ReportJsonOptions} from './json-schema.js';

/**
 * `JSON.stringify` of a string, without the call for the common case (nothing to escape). The
 * quoted text is what is scanned, not `value`: reading the characters of a concatenation flattens
 * it in place, and the analysis keeps its paths as concatenations (directory + name) that the
 * report does not own. Scanned directly, every kept path of a `--files` report got a flat copy
 * that lived as long as the analysis (150 bytes each, a million on the 1M-file bench tree).
 */
function jsonString(value: string): string {
	const quoted = `"${value}"`;
	for (let i = 1; i < quoted.length - 1; i++) {
		const c = quoted.charCodeAt(i);
		// Control characters, `"`, `\\` and (lone) surrogates are escaped by JSON.stringify.
		if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd8_00 && c <= 0xdf_ff)) {
			return JSON.stringify(value);
		}
	}

	return quoted;
}

/** `JSON.stringify` of a scalar (string, number, boolean, null). */
function jsonScalar(value: string | number | boolean | null): string {
	if (typeof value === 'string') {
		return jsonString(value);
	}

	if (typeof value === 'number') {
		return Number.isFinite(value) ? String(value) : 'null';
	}

	return JSON.stringify(value);
}

/** `JSON.stringify(value, null, 2)` nested at `indent` (the text of the first line is not indented). */
function jsonNested(value: unknown, indent: string): string {
	return JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`);
}

const FILE_INDENT = ' '.repeat(8);
const FILE_FIELD_INDENT = ' '.repeat(10);
const FILE_FIELD = `,\n${FILE_FIELD_INDENT}"`;

/** `,\n          "name": value` as `JSON.stringify` writes a field of a file entry; nothing when `value` is undefined. */
function optionalFileField(name: string, value: string | number | null | undefined): string {
	return value === undefined ? '' : `${FILE_FIELD}${name}": ${jsonScalar(value)}`;
}

/** One element of a checkpoint's `files`, exactly as `JSON.stringify(report, null, 2)` writes it. */
function fileText(file: ResolvedFile): string {
	const reference = file.reference;
	let out = `${FILE_INDENT}{\n${FILE_FIELD_INDENT}"uri": ${jsonString(file.uri)}${FILE_FIELD}path": ${file.path === null ? 'null' : jsonString(file.path)}${FILE_FIELD}handle": ${jsonString(file.handle)}${FILE_FIELD}size": ${jsonScalar(num(file.size))}${FILE_FIELD}exists": ${file.exists === null ? 'null' : file.exists ? 'true' : 'false'}${FILE_FIELD}references": ${jsonScalar(file.references)}`;
	out += optionalFileField('operatorId', reference.operatorId);
	out += optionalFileField('subtaskIndex', reference.subtaskIndex);
	out += optionalFileField('slot', reference.slot);
	out += optionalFileField('localPath', reference.localPath);
	out += optionalFileField('actualSize', file.actualSize);
	out += optionalFileField('neededBytes', file.neededBytes);
	if (file.damaged === true) {
		out += `${FILE_FIELD}damaged": true`;
	}

	out += optionalFileField('note', file.note);
	return `${out}\n${FILE_INDENT}}`;
}

/**
 * One element of `checkpoints` (at 4 spaces), exactly as `JSON.stringify(report, null, 2)` writes
 * it, into `out`; yields after each file whenever `out` has chunks ready (a checkpoint may have a
 * hundred thousand files).
 */
function* checkpointBytes(checkpoint: CheckpointAnalysis, ranks: FileRanks | undefined, out: ByteChunks): Generator<Uint8Array, void, undefined> {
	const head = `    ${jsonNested(checkpointHeadToJson(checkpoint), '    ')}`;
	out.write(head.slice(0, head.length - '\n    }'.length));
	if (ranks !== undefined) {
		out.write(',\n      "files": ');
		const files = orderedFiles(checkpoint, ranks);
		for (let k = 0; k < files.count; k++) {
			out.write(k === 0 ? `[\n${fileText(files.at(k))}` : `,\n${fileText(files.at(k))}`);
			if ((k & 1023) === 1023) {
				yield* out.take();
			}
		}

		out.write(files.count === 0 ? '[]' : '\n      ]');
	}

	const dependencies = sortByPath(checkpoint.dependencies, (dependency) => dependency.path).map(dependencyToJson);
	out.write(`,\n      "dependencies": ${jsonNested(dependencies, '      ')}\n    }`);
}

/**
 * The JSON report as UTF-8, in chunks of about 1 MB: exactly `JSON.stringify(reportToJson(analysis,
 * options), null, 2)` followed by a newline, without ever holding the whole text (or the whole
 * report object, or every checkpoint's files) in memory. The checkpoints, the bulk of a big
 * report, are written one by one, and their files one at a time. Each chunk decodes on its own.
 */
export function* reportJsonBytes(analysis: Analysis, options: ReportJsonOptions = {}): Generator<Uint8Array, void, undefined> {
	const {report, checkpoints} = reportParts(analysis, options);
	const out = new ByteChunks();
	out.write('{\n');
	let first = true;
	for (const [key, value] of Object.entries(report)) {
		if (value === undefined) {
			continue;
		}

		out.write(`${first ? '' : ',\n'}  ${JSON.stringify(key)}: `);
		first = false;
		if (key !== 'checkpoints') {
			out.write(jsonNested(value, '  '));
			continue;
		}

		if (checkpoints.length === 0) {
			out.write('[]');
			continue;
		}

		out.write('[\n');
		const ranks = options.files === true ? fileRanks(checkpoints) : undefined;
		for (let i = 0; i < checkpoints.length; i++) {
			if (i > 0) {
				out.write(',\n');
			}

			yield* checkpointBytes(checkpoints[i], ranks, out);
			yield* out.take();
		}

		out.write('\n  ]');
	}

	out.write('\n}\n');
	yield* out.end();
}

/** {@link reportJsonBytes} as text: the same chunks, decoded. */
export function* reportJsonChunks(analysis: Analysis, options: ReportJsonOptions = {}): Generator<string, void, undefined> {
	for (const chunk of reportJsonBytes(analysis, options)) {
		yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
	}
}
