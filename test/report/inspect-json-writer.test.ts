import {describe, expect, it} from 'vitest';
import {JsonBytesWriter} from '../../source/report/inspect-json-writer.js';

type Value = string | number | boolean | null | Value[] | {[key: string]: Value};

/** Write `value` through the writer's calls, as an emitter would. */
function write(w: JsonBytesWriter, value: Value): void {
	if (value === null) {
		w.null();
	} else if (typeof value === 'string') {
		w.string(value);
	} else if (typeof value === 'number') {
		w.number(value);
	} else if (typeof value === 'boolean') {
		w.boolean(value);
	} else if (Array.isArray(value)) {
		w.begin('[');
		for (const element of value) {
			w.item();
			write(w, element);
		}
		w.end(']');
	} else {
		w.begin('{');
		for (const [key, member] of Object.entries(value)) {
			w.key(key);
			write(w, member);
		}
		w.end('}');
	}
}

/** All the writer's bytes for `values` written one after another, chunk by chunk, as text. */
function written(values: Value[], chunkSize: number): string {
	const w = new JsonBytesWriter(chunkSize);
	const chunks: Uint8Array[] = [];
	for (const value of values) {
		write(w, value);
		if (w.length >= chunkSize) chunks.push(w.take());
	}
	chunks.push(w.take());
	return Buffer.concat(chunks).toString('utf8');
}

const STRINGS = [
	'',
	'plain',
	'hdfs://nn:8020/flink/checkpoints/00ad4528a90a34ac1c67af03d970c3c0/shared/e01ccbc4-55ea-49b6-8d57-01d890eff2ae',
	'quote " and backslash \\',
	'controls \u0000\u0001\b\t\n\f\r\u001F and DEL \u007F',
	'latin1 é ÿ',
	'BMP 中文 €',
	'astral 😀',
	'lone surrogates \uD800 and \uDFFF',
	`${'x'.repeat(47)}"`,
	`${'long and non-ASCII é '.repeat(10)}`,
];

const NUMBERS = [0, 1, 9, 10, 99, 100, 2_147_483_647, 2_147_483_648, 17_740_788_870, 2 ** 53 - 1, -1, -0, 0.5, 1e21, 1e-7, Number.NaN, Infinity, -Infinity];

describe('JsonBytesWriter', () => {
	it('writes every kind of string, number and scalar as JSON.stringify(value, null, 2) does, twice (the short-string cache)', () => {
		const values: Value[] = [...STRINGS, ...STRINGS, ...NUMBERS, true, false, null];
		const document: Value = {strings: [...STRINGS, ...STRINGS], numbers: NUMBERS, scalars: [true, false, null]};
		for (const value of [...values, document]) expect(written([value], 1 << 20)).toBe(JSON.stringify(value, null, 2));
	});

	it('lays out nested and empty containers and keys at any depth, across tiny buffers', () => {
		const nested: Value = {a: [], b: {}, c: [[], [{}], [{d: [1, [2, [3, {e: 'deep'}]]]}]], f: {g: {h: {i: {j: {k: 'x'}}}}}, 'key with spaces': 1};
		// Bigger than a buffer (a chunk and 256 KiB): the buffer grows by copying.
		const big: Value = Array.from({length: 5000}, (_, i) => ({path: `${STRINGS[2]}-${i}`, size: i, name: STRINGS[i % STRINGS.length]}));
		const values: Value[] = [nested, [], {}, [nested, nested], {same: nested, other: [nested]}, big];
		for (const chunkSize of [1, 7, 64, 1 << 20]) {
			for (const value of values) expect(written([value], chunkSize)).toBe(JSON.stringify(value, null, 2));
		}
	});

	it('writes Java longs: numbers as numbers, bigints as decimal strings', () => {
		const w = new JsonBytesWriter(64);
		w.begin('[');
		for (const value of [5, 2n ** 63n - 1n, -(2n ** 63n)]) {
			w.item();
			w.i64(value);
		}
		w.end(']');
		expect(Buffer.from(w.take()).toString('utf8')).toBe(JSON.stringify([5, '9223372036854775807', '-9223372036854775808'], null, 2));
	});

	it('writes small values given whole at their depth, and hands out each chunk once', () => {
		const w = new JsonBytesWriter(1 << 10);
		w.begin('{');
		w.key('summary');
		w.value({total: 3, byHandle: {file: 2, inline: 1}, name: 'é'});
		const first = Buffer.from(w.take()).toString('utf8');
		w.key('empty');
		w.value([]);
		w.end('}');
		const second = Buffer.from(w.take()).toString('utf8');
		expect(first + second).toBe(JSON.stringify({summary: {total: 3, byHandle: {file: 2, inline: 1}, name: 'é'}, empty: []}, null, 2));
		expect(w.take().length).toBe(0);
	});
});
