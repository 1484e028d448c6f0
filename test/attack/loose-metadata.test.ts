/**
 * Attack: an unreadable `_metadata` outside every job directory (issue #21 case 3: "its job gets no
 * unreferenced-file orphans" — but which job?). A retained checkpoint copied aside
 * (`backup/chk-3/_metadata`, or renamed `backup2/retained-41/`) references the job's shared files
 * by absolute URI. Readable, it keeps them (held below); cut short by a failed copy, it made
 * `shared/s0` an orphan planned with `rm -r`, because the withholding looks only at the
 * snapshot's job directory, and it has none.
 *
 * Cause (fixed) in source/analysis/build/withheld.ts: an unreadable or legacy `_metadata` that is not in a job directory
 * and not a savepoint (a savepoint references its own directory, which is withheld already) may
 * reference any job: set `unknownEverywhere`, as an unlisted directory outside job directories
 * does, with its `job-orphans-withheld` warnings naming the roots.
 */
import {describe, expect, test} from 'vitest';
import {attackTree, built, fcx, J1, metadataWith, planned, REMOTE} from './helpers.js';

const S0 = [`${REMOTE}/${J1}/chk-3/x3`, `${REMOTE}/${J1}/shared/s0`];

/** J1 with a complete chk-5 (shared/s1) and shared/s0, which only the copy of chk-3 references. */
function jobTree(copy: Record<string, [number, string[]]> = {}) {
	return attackTree({[`cp/${J1}/chk-5`]: [5, [`${REMOTE}/${J1}/chk-5/x1`, `${REMOTE}/${J1}/shared/s1`]], ...copy}, [
		`cp/${J1}/chk-5/x1`,
		`cp/${J1}/shared/s1`,
		`cp/${J1}/shared/s0`,
	]);
}

describe.skipIf(!built)('a _metadata outside job directories', () => {
	test('held: a readable copy of a retained checkpoint (backup/chk-3) keeps the shared file it references', () => {
		const t = jobTree({'backup/chk-3': [3, S0]});
		expect(planned(fcx(['plan', '--min-age', '0', t.dir]).stdout)).toEqual([]);
	});

	test('a copy cut short (unreadable): the shared file it may reference is not planned', () => {
		const t = jobTree();
		const good = Buffer.from(metadataWith(3, S0));
		t.put('backup/chk-3/_metadata', good.subarray(0, good.length - 10));
		t.put('backup2/retained-41/_metadata', good.subarray(0, good.length - 10));
		expect(planned(fcx(['plan', '--min-age', '0', t.dir]).stdout)).toEqual([]);
	});
});
