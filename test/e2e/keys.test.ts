/**
 * Sorting, exporting and the mouse in the real binary in tmux (#24): `S` reverses the order the
 * header marks, `e` / `E` write the list to new files in the current directory, the wheel and a
 * click move the selection, and mouse reporting is on only while the explorer has the screen.
 */
import {existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, test} from 'vitest';
import {hasTmux, TmuxSession} from './tmux.js';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = path.join(root, 'dist/fcx.js');
const tree = path.join(root, 'fixtures/sample-tree');
const built = existsSync(cli);

describe.skipIf(!hasTmux || !built)('sort, export and mouse walk-through (tmux)', () => {
	let session: TmuxSession | undefined;
	afterEach(() => session?.close());

	test('S reverses the marked order; e and E export the list as shown; the wheel and a click select; mouse reporting ends with the explorer', async () => {
		// The exports go to the current directory: a fresh one, not the sample tree.
		const cwd = mkdtempSync(path.join(os.tmpdir(), 'fcx-export-'));
		const paging = path.join(cwd, 'paging');
		// A pager that stays a moment (while it runs, the mouse is its terminal's, not reported to fcx).
		const pager = `'touch ${paging}; cat > /dev/null; sleep 2; rm ${paging}'`;
		session = new TmuxSession(`node ${cli} --min-age 0 ${tree}`, {columns: 160, rows: 40, cwd, env: {PAGER: pager}});
		const flags = () => session!.command('display-message', '-p', '-t', 'fcx', '#{mouse_standard_flag}#{mouse_sgr_flag}').trim();
		await session.waitFor('6 jobs');
		expect(flags()).toBe('11');

		session.send('o');
		const byName = await session.waitFor(/Path ▲/);
		const count = Number(/Orphans\s+1\/(\d+)/.exec(byName)?.[1]);
		expect(count).toBeGreaterThan(3);
		session.send('s');
		await session.waitFor(/Size ?▼/);
		session.send('S');
		const ascending = await session.waitFor(/Size ?▲/);
		expect(ascending).toContain('sort: size ↑');
		const shown = ascending.split('\n').filter((line) => /^[❯ ] .{4}\S/.test(line) && !line.includes('Path'));

		session.send('e');
		const wrote = await session.waitFor(/wrote \.\/fcx-orphans-\d{8}T\d{6}Z\.tsv \(\d+ rows\)/);
		const tsvName = /wrote \.\/(fcx-orphans-\S+\.tsv)/.exec(wrote)![1];
		const tsv = readFileSync(path.join(cwd, tsvName), 'utf8').trimEnd().split('\n');
		expect(tsv[0].split('\t').slice(0, 2)).toEqual(['Marks', 'Path']);
		expect(tsv).toHaveLength(count + 1);
		// The file's rows are the screen's, in its order, with whole cells: the rows shown are
		// consecutive rows of the file (the list may have scrolled to keep the selection in view).
		const paths = tsv.slice(1).map((line) => line.split('\t')[1]);
		const at = shown.map((line) => paths.findIndex((p) => line.includes(p.slice(-20))));
		expect(at[0]).toBeGreaterThanOrEqual(0);
		expect(at).toEqual(shown.map((_, i) => at[0] + i));
		session.send('E');
		// Its name has its own second: the two keys may fall in different ones.
		const wroteJson = await session.waitFor(/wrote \.\/fcx-orphans-\d{8}T\d{6}Z\.json/);
		const jsonName = /wrote \.\/(fcx-orphans-\S+\.json)/.exec(wroteJson)![1];
		expect(readdirSync(cwd).sort()).toEqual([tsvName, jsonName].sort());

		// The wheel (a report as the terminal sends it) moves the selection three rows; a click on the
		// first row (line 6: title, totals, breadcrumb, summary, column header) selects it.
		const before = Number(new RegExp(`Orphans\\s+(\\d+)/${count}`).exec(session.screen())?.[1]);
		session.type('\u001B[<65;20;10M');
		await session.waitFor(new RegExp(`Orphans\\s+${Math.min(before + 3, count)}/${count}`));
		session.type('\u001B[<0;20;6M\u001B[<0;20;6m');
		await session.waitFor(new RegExp(`Orphans\\s+1/${count}`));

		session.send('p');
		const deadline = Date.now() + 10_000;
		while (!existsSync(paging) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
		expect(flags()).toBe('00');
		await session.waitFor('back from the pager');
		expect(flags()).toBe('11');

		session.send('q');
		await session.waitFor('[exit 0]');
		expect(flags()).toBe('00');
	});
});
