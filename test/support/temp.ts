/**
 * Temporary directories for tests, removed when the test file ends: importing this module
 * registers the removal (an `afterAll` of the importing file).
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll} from 'vitest';

const made: string[] = [];

afterAll(() => {
	for (const dir of made.splice(0)) {
		rmSync(dir, {recursive: true, force: true});
	}
});

/** A new directory under the system's temporary directory, named `prefix` + random characters; removed after the test file. */
export function tempDir(prefix: string): string {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	made.push(dir);
	return dir;
}
