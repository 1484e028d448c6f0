import {describe, expect, test} from 'vitest';
import {isSymlinkWarning, isUnseenByScan, type Warning} from '../../source/tree/index.js';

describe('warnings: safety decisions read the code, never the wording (#21.14)', () => {
	test('a warning is unseen by the scan by its code, whatever its message says', () => {
		// A root or a _metadata error may say anything: a path can hold 'symlink', '; not followed'
		// or 'unreadable directory: '. Clean's skip decision must not change with such text.
		const lookalikes: Warning[] = [
			{code: 'input-unreadable', path: '/x', message: 'unreadable directory: EACCES'},
			{code: 'root-alias', path: '/x', message: 'its real directory /y is that of /a-symlink; not followed'},
			{code: 'unreadable-metadata', path: '/x/_metadata', message: 'vanished during scan: symlink'},
		];
		for (const warning of lookalikes) {
			expect(isUnseenByScan(warning)).toBe(false);
			expect(isSymlinkWarning(warning)).toBe(false);
		}
		const unseen: Warning[] = [
			{code: 'unreadable-directory', path: '/x', message: 'could not be listed'},
			{code: 'not-regular-file', path: '/x/fifo', message: 'a FIFO'},
			{code: 'vanished', path: '/x/f', message: 'gone'},
			{code: 'symlink-not-followed', path: '/x/l', message: 'l'},
			{code: 'unreadable-symlink', path: '/x/m', message: 'm'},
			{code: 'pending-upload', path: 's3://b/j/chk-1', message: 'an upload'},
		];
		for (const warning of unseen) expect(isUnseenByScan(warning)).toBe(true);
		expect(unseen.filter(isSymlinkWarning).map((w) => w.code)).toEqual(['symlink-not-followed', 'unreadable-symlink']);
	});
});
