/** Output streams for running CLI commands in process, with what was written to each. */
import {PassThrough} from 'node:stream';

/** A stdout and a stderr that collect what is written; `out()` / `err()` return it so far. */
export function io(): {stdout: PassThrough; stderr: PassThrough; out: () => string; err: () => string} {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', (c: Buffer) => (out += c.toString()));
	stderr.on('data', (c: Buffer) => (err += c.toString()));
	return {stdout, stderr, out: () => out, err: () => err};
}
