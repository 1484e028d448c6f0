/**
 * Attacks on how a path written in `_metadata` is read (issue #21, the trust promise): fcx must
 * name the file Flink opens. Flink reads each path with `org.apache.flink.core.fs.Path(String)`,
 * which takes everything after the authority as the path ("query & fragment not supported": a
 * `#` or `?` is part of a file name) and replaces every `\` with `/` (`Path#normalizePath`).
 *
 * Found: `parseUri` (source/tree/layout.ts, `URI_RE`) ends the path at the first `?` or `#`, and
 * `normalisePathPart` keeps `\`. A checkpoint base directory named `cp#1` (legal for Flink: its
 * `_metadata` holds `file:/…/cp#1/<job>/shared/<uuid>`) made the checkpoint's own exclusive file
 * and its shared file orphans, planned with `rm -r`, while the checkpoint was "missing" a file
 * `/…/cp` that nothing names. The fix is in source/tree/layout.ts (owned by the `treespeed`
 * branch): `URI_RE = /^([a-zA-Z][a-zA-Z0-9+.-]*):(\/\/([^/]*))?(.*)$/s` (authority up to the next
 * `/`, the rest is the path), and `normalisePathPart` replacing `\` by `/` first (also for relative
 * handles, which Flink resolves as `new Path(dir, name)`).
 */
import {describe, expect, test} from 'vitest';
import {attackTree, built, fcx, J1, planned, REMOTE, report} from './helpers.js';

describe.skipIf(!built)('paths as Flink reads them from _metadata', () => {
	for (const [name, char] of [
		['a fragment mark', '#'],
		['a query mark', '?'],
	]) {
		test(`a checkpoint base directory whose name holds ${name} (${char}): the checkpoint is complete, its files are no orphans and not planned`, () => {
			const base = `cp${char}1`;
			const t = attackTree({[`${base}/${J1}/chk-5`]: [5, [`file:$T/${base}/${J1}/chk-5/x1`, `file:$T/${base}/${J1}/shared/s1`]]}, [
				`${base}/${J1}/chk-5/x1`,
				`${base}/${J1}/shared/s1`,
			]);
			const r = report([t.dir]);
			expect(r.orphans).toEqual([]);
			expect(r.checkpoints.map((c) => c.status)).toEqual(['complete']);
			expect(planned(fcx(['plan', '--min-age', '0', t.dir]).stdout)).toEqual([]);
		});
	}

	test('a reference with a backslash (`shared\\s1`, which Flink opens as shared/s1): s1 is no orphan and not planned', () => {
		const t = attackTree({[`cp/${J1}/chk-5`]: [5, [`${REMOTE}/${J1}/chk-5/x1`, `${REMOTE}/${J1}/shared\\s1`]]}, [`cp/${J1}/chk-5/x1`, `cp/${J1}/shared/s1`]);
		const r = report([t.dir]);
		expect(r.orphans).toEqual([]);
		expect(planned(fcx(['plan', '--min-age', '0', t.dir]).stdout)).toEqual([]);
	});

	test('held: a base directory named with Unicode in NFD while _metadata writes it in NFC (a copy through macOS): nothing is an orphan, the checkpoint is not complete', () => {
		const nfc = 'caf\u00e9';
		const nfd = 'cafe\u0301';
		const t = attackTree({[`${nfd}/${J1}/chk-4`]: [4, [`file:$T/${nfc}/${J1}/chk-4/x1`, `file:$T/${nfc}/${J1}/shared/s1`]]}, [
			`${nfd}/${J1}/chk-4/x1`,
			`${nfd}/${J1}/shared/s1`,
		]);
		const r = report([t.dir]);
		expect(r.orphans).toEqual([]);
		expect(r.checkpoints.map((c) => c.status)).toEqual(['unknown-files']);
		expect(planned(fcx(['plan', '--min-age', '0', t.dir]).stdout)).toEqual([]);
	});
});
