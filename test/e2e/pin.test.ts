/**
 * The selection follows the selected item in the real binary (#24 "keep my place"): `s`, `S`, `/` and
 * `R` keep the cursor on the orphan it was on, also with keys sent in one input chunk.
 */
import {cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, test} from 'vitest';
import {hasTmux, TmuxSession} from './tmux.js';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = path.join(root, 'dist/fcx.js');
const tree = path.join(root, 'fixtures/sample-tree');
const built = existsSync(cli);

/** The path cell of the selected row (`❯`, the marks, then the path). */
const selectedPath = (screen: string) => /^❯ .{4}(\S+)/m.exec(screen)?.[1];
/** The breadcrumb's `n/count`. */
const position = (screen: string) => /Orphans\s+(\d+\/\d+)/.exec(screen)?.[1];

describe.skipIf(!hasTmux || !built)('the selection follows the selected item (tmux)', () => {
	let session: TmuxSession | undefined;
	let scratch: string | undefined;
	afterEach(() => {
		session?.close();
		if (scratch !== undefined) rmSync(scratch, {recursive: true, force: true});
		scratch = undefined;
	});

	test('R keeps the selected orphan (the cursor never moved) when it finds one before it; s, S and / keep it too', async () => {
		// A copy: the rescan finds a dead job's directory that sorts first by name and by ascending size.
		scratch = mkdtempSync(path.join(os.tmpdir(), 'fcx-pin-'));
		const copy = path.join(scratch, 'tree');
		cpSync(tree, copy, {recursive: true, preserveTimestamps: true});
		session = new TmuxSession(`node ${cli} --min-age 0 ${copy}`, {columns: 160, rows: 40});
		await session.waitFor('6 jobs');
		session.send('o');
		const byName = await session.waitFor(/Path ?▲/);
		const item = selectedPath(byName);
		expect(item).toBeDefined();
		const count = Number(position(byName)!.split('/')[1]);
		expect(position(byName)).toBe(`1/${count}`);

		const dead = path.join(copy, 'checkpoints', '00000000000000000000000000000001', 'chk-1');
		mkdirSync(dead, {recursive: true});
		writeFileSync(path.join(dead, 'x'), 'x');
		session.send('R');
		const rescanned = await session.waitFor(new RegExp(`Orphans\\s+\\d+/${count + 1}`));
		expect(selectedPath(rescanned)).toBe(item);
		expect(position(rescanned)).toBe(`2/${count + 1}`);

		session.send('s');
		const bySize = await session.waitFor(/Size ?▼/);
		expect(selectedPath(bySize)).toBe(item);
		session.send('S');
		const ascending = await session.waitFor(/Size ?▲/);
		expect(selectedPath(ascending)).toBe(item);
		session.send('/');
		const filtering = await session.waitFor(/^\/▏/m);
		expect(selectedPath(filtering)).toBe(item);
		session.send('Escape');
		const cleared = await session.waitFor('sort: size ↑');
		expect(selectedPath(cleared)).toBe(item);
		session.send('q');
		await session.waitFor('[exit 0]');
	});

	test('o s S sent in one input chunk: each key acts on the screen the one before left', async () => {
		session = new TmuxSession(`node ${cli} --min-age 0 ${tree}`, {columns: 160, rows: 40});
		await session.waitFor('6 jobs');
		session.send('o');
		const byName = await session.waitFor(/Path ?▲/);
		const first = selectedPath(byName);
		session.send('q');
		await session.waitFor('[exit 0]');
		session.close();

		session = new TmuxSession(`node ${cli} --min-age 0 ${tree}`, {columns: 160, rows: 40});
		await session.waitFor('6 jobs');
		session.type('osS');
		const ascending = await session.waitFor(/Size ?▲/);
		expect(selectedPath(ascending)).toBe(first);
		session.send('q');
		await session.waitFor('[exit 0]');
	});
});
