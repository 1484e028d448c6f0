/**
 * The why of storage in the real binary, in tmux (#24): on a tree that `fcx clean` already
 * quarantined, the header says what the quarantine holds, `u` on a job shows its directory part
 * by part and who still needs it, and `Q` lists the quarantine with its restore command.
 */
import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, test} from 'vitest';
import {generateSampleTree, JOBS} from '../../fixtures/generate.js';
import {analyse} from '../../source/analysis/index.js';
import {executePlan, makePlan} from '../../source/cleanup/index.js';
import {tempDir} from '../support/temp.js';
import {hasTmux, TmuxSession} from './tmux.js';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = path.join(root, 'dist/fcx.js');
const built = existsSync(cli);

describe.skipIf(!hasTmux || !built)('storage walk-through (tmux)', () => {
	let session: TmuxSession | undefined;
	afterEach(() => session?.close());

	test('the header counts the quarantine; u shows a job storage by part; Q lists the quarantine with its restore command', async () => {
		const tree = tempDir('fcx-e2e-storage-');
		await generateSampleTree(tree);
		const result = await executePlan(makePlan(await analyse([tree], {minAgeMs: 0})), {minAgeMs: 0});
		expect(result.restoreCommand).not.toBeNull();

		session = new TmuxSession(`node ${cli} --min-age 0 ${tree}`, {columns: 180, rows: 40});
		const jobs = await session.waitFor(/B quarantined \(Q\)/);
		expect(jobs.split('\n').find((line) => line.startsWith('❯'))).toContain(JOBS.A.slice(0, 8));

		session.send('u');
		const storage = await session.waitFor('Jobs › Storage');
		expect(storage).toMatch(/only this job · 426 B needed by other jobs/);
		expect(storage).toMatch(/chk-<n> \(exclusive state, _metadata\)\s+\[#+ *\]\s+\d+\.\d%/);
		expect(storage).toContain(JOBS.B);

		session.send('Q');
		const quarantines = await session.waitFor('Storage › Quarantines');
		expect(quarantines).toContain('.fcx-quarantine/');
		expect(quarantines).toContain('held until emptied');
		expect(quarantines.replaceAll(/\s*│\s*/g, ' ')).toContain('.restore.sh');

		session.send('q');
		await session.waitFor('[exit 0]');
	});
});
