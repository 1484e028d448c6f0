/**
 * On-call ergonomics of the real binary in tmux (#24): `fcx` with no path explores the current
 * directory, `y` copies through OSC 52 (tmux with set-clipboard on takes it as a paste buffer), `R`
 * keeps the place, and quitting leaves nothing of the explorer on the screen (alternate screen).
 */
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, test} from 'vitest';
import {hasTmux, TmuxSession} from './tmux.js';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = path.join(root, 'dist/fcx.js');
const tree = path.join(root, 'fixtures/sample-tree');
const built = existsSync(cli);

describe.skipIf(!hasTmux || !built)('on-call walk-through (tmux)', () => {
	let session: TmuxSession | undefined;
	afterEach(() => session?.close());

	test('no path explores the current directory; y copies; R keeps the place; p pages the list; M keeps the younger orphans; q leaves the screen clean', async () => {
		const pagerOut = path.join(mkdtempSync(path.join(os.tmpdir(), 'fcx-pager-')), 'paged.txt');
		session = new TmuxSession(`node ${cli} --min-age 0`, {columns: 160, rows: 40, cwd: tree, env: {PAGER: `'cat > ${pagerOut}'`}});
		session.command('set-option', '-s', 'set-clipboard', 'on');
		const jobs = await session.waitFor('6 jobs');
		expect(jobs).toContain(tree);

		// The orphans view, its second row, then copy its path.
		session.send('o');
		await session.waitFor('› Orphans');
		session.send('j');
		const second = await session.waitFor(/^Jobs › Orphans\s+2\/\d+/m);
		session.send('y');
		const copied = await session.waitFor('copied (OSC 52): ');
		const buffer = session.command('show-buffer');
		expect(buffer).toMatch(new RegExp(`^${tree}/checkpoints/[0-9a-f]{32}/`));
		expect(copied).toContain(`copied (OSC 52): ${buffer.slice(0, 60)}`);

		// R rescans and keeps the view and the selected row.
		const selected = second.split('\n').find((line) => line.startsWith('❯'));
		session.send('R');
		await session.waitFor('Loading…', 5000).catch(() => '');
		const after = await session.waitFor(/^Jobs › Orphans\s+2\/\d+/m);
		// Ages may tick over a minute between the two scans: the row is the same row.
		const withoutAges = (line: string | undefined) => line?.replace(/\b\d+[smhd]\b/g, 'AGE');
		expect(withoutAges(after.split('\n').find((line) => line.startsWith('❯')))).toBe(withoutAges(selected));

		// p: the orphans list goes to $PAGER whole (here a pager that writes a file), then the explorer is back.
		session.send('p');
		const back = await session.waitFor('back from the pager');
		expect(back).toMatch(/^Jobs › Orphans\s+2\/\d+/m);
		const paged = readFileSync(pagerOut, 'utf8');
		expect(paged).toContain('Jobs › Orphans');
		expect(paged).toContain(buffer.slice(tree.length + 1));

		// M: at an age older than any file every orphan is kept (…) and nothing would go; Enter alone goes back to --min-age.
		session.send('M');
		await session.waitFor('age: ▏');
		session.type('520w');
		session.send('Enter');
		const kept = await session.waitFor('at min-age 87360 h: 0 files, 0 B would go');
		const orphanRows = kept.split('\n').filter((line) => /^[❯ ] \S*[…⊘]/.test(line));
		expect(orphanRows.length).toBeGreaterThan(0);
		for (const line of orphanRows) expect(line).toMatch(/^[❯ ] …/);
		session.send('M', 'Enter');
		await session.waitFor("back to the command line's 0 h");

		// q: the shell's screen comes back, nothing of the explorer is left on it.
		session.send('q');
		const exited = await session.waitFor('[exit 0]');
		expect(exited).not.toContain('Orphans');
		expect(exited).not.toContain('6 jobs');
	});
});
