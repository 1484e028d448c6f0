/**
 * `fcx inspect --json` as text in chunks: exactly `JSON.stringify(array, null, 2)` and a newline,
 * where `array` holds one element per file named ({@link inspectToJson}, or an error object), but
 * written element by element and, inside a file, operator by operator and reference by reference.
 * A 16 MB incremental `_metadata` makes about 80 MB of JSON: built whole, the text and its object
 * tree held about 450 MB and the output started only once all was built.
 */
import type {ReadResult} from '../metadata/types.js';
import {inspectJsonShell, operatorJson, referenceJson} from './inspect-json.js';

/** Size of the chunks yielded (UTF-16 code units, about). */
const CHUNK_SIZE = 1 << 20;

/** Elements stringified per `JSON.stringify` call. */
const BATCH = 1024;

/** What `JSON.stringify([{[key]: batch}], null, 2)` writes before the batch's first element (plus the key). */
const BATCH_HEAD = '[\n  {\n    "": [\n      ';

/** What it writes after the batch's last element. */
const BATCH_TAIL = '\n    ]\n  }\n]';

/** `JSON.stringify(value, null, 2)` for a value nested where lines start with `indent`. */
function nested(value: unknown, indent: string): string {
	return JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`);
}

/** What goes before element `index` of the array (its opening bracket before the first). */
function elementPrefix(index: number): string {
	return index === 0 ? '[\n  ' : ',\n  ';
}

/**
 * The end of the array after `count` elements, with the final newline (`[]` when there were none).
 */
export function inspectJsonEnd(count: number): string {
	return count === 0 ? '[]\n' : '\n]\n';
}

/** Element `index` of the array when it is a plain object (a file that could not be read). */
export function inspectJsonObjectChunk(index: number, value: {[key: string]: unknown}): string {
	return `${elementPrefix(index)}${nested(value, '  ')}`;
}

/**
 * Element `index` of the array for a file read as `result`: the text of
 * `inspectToJson(path, result)` at its place, in chunks of about 1 MB.
 */
export function* inspectJsonFileChunks(index: number, path: string, result: ReadResult): Generator<string, void, undefined> {
	let buffer = `${elementPrefix(index)}{`;
	let first = true;
	for (const [key, value] of Object.entries(inspectJsonShell(path, result))) {
		if (value === undefined) continue;
		buffer += `${first ? '' : ','}\n    ${JSON.stringify(key)}: `;
		first = false;
		const elements = key === 'operators' ? result.metadata.operators : key === 'references' ? result.references : undefined;
		if (elements === undefined) {
			buffer += nested(value, '    ');
			continue;
		}
		if (elements.length === 0) {
			buffer += '[]';
			continue;
		}
		// A batch of elements stringified at once, nested as they are in the output so that
		// `JSON.stringify` indents them itself: one native call per batch instead of one call and a
		// re-indenting `replaceAll` per element (which had made the output 50 % slower than whole).
		for (let start = 0; start < elements.length; start += BATCH) {
			const batch = [];
			for (let i = start; i < Math.min(start + BATCH, elements.length); i++) {
				batch.push(key === 'operators' ? operatorJson(result.metadata.operators[i]) : referenceJson(result.references[i]));
			}
			const text = JSON.stringify([{[key]: batch}], null, 2);
			buffer += `${start === 0 ? '[' : ','}\n      ${text.slice(BATCH_HEAD.length + key.length, -BATCH_TAIL.length)}`;
			if (buffer.length >= CHUNK_SIZE) {
				yield buffer;
				buffer = '';
			}
		}
		buffer += '\n    ]';
	}
	yield `${buffer}\n  }`;
}
