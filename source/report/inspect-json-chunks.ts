/**
 * `fcx inspect --json` as text in chunks: exactly `JSON.stringify(array, null, 2)` and a newline,
 * where `array` holds one element per file named ({@link inspectToJson}, or an error object), but
 * written element by element and, inside a file, operator by operator and reference by reference.
 * A 16 MB incremental `_metadata` makes about 80 MB of JSON: built whole, the text and its object
 * tree held about 450 MB and the output started only once all was built.
 */
import type {ReadResult} from '../metadata/types.js';
import {inspectJsonShell, ReferenceTotals} from './inspect-json.js';
import {writeOperator, writeReference} from './inspect-json-emit.js';
import {JsonBytesWriter} from './inspect-json-writer.js';

/** Size of the chunks yielded (characters before their conversion to bytes, about). */
const CHUNK_SIZE = 1 << 20;

/** The stand-in for the shell's `referenceSummary`, which {@link inspectJsonFileChunks} counts as it writes. */
const PENDING_SUMMARY = {total: 0, byHandle: {}, distinctPaths: 0, bytes: 0};

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
 * `inspectToJson(path, result)` at its place, as UTF-8 bytes in chunks of about 1 MB. The
 * operators and references, the bulk of a big file, are written by `inspect-json-emit.ts` without
 * building their objects; the rest (a few small members) by `JSON.stringify` of the shell.
 */
export function* inspectJsonFileChunks(index: number, path: string, result: ReadResult): Generator<Uint8Array, void, undefined> {
	const w = new JsonBytesWriter(CHUNK_SIZE, 1);
	w.raw(elementPrefix(index));
	w.begin('{');
	// The summary is counted as the references are written (they come before it): one pass over them.
	const totals = new ReferenceTotals();
	for (const [key, value] of Object.entries(inspectJsonShell(path, result, PENDING_SUMMARY))) {
		if (value === undefined) continue;
		w.key(key);
		if (key === 'operators') {
			w.begin('[');
			for (const operator of result.metadata.operators) {
				w.item();
				for (const _ of writeOperator(w, operator, CHUNK_SIZE)) yield w.take();
			}
			w.end(']');
		} else if (key === 'references') {
			w.begin('[');
			for (const reference of result.references) {
				w.item();
				writeReference(w, reference);
				totals.add(reference);
				if (w.length >= CHUNK_SIZE) yield w.take();
			}
			w.end(']');
		} else if (key === 'referenceSummary') {
			w.value(totals.summary());
		} else {
			w.value(value);
		}
	}
	w.end('}');
	yield w.take();
}
