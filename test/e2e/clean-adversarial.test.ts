/**
 * Adversarial suite, part 2: `fcx clean` (the built `dist/fcx.js`) under attack, in bounded time.
 * - symlink races (#21.9): a writer swaps the planned directories, and the `shared/` directory of
 *   the planned files, for symlinks to look-alike directories outside the root, in a loop, during
 *   `clean` and `clean --delete`; not one file outside may change;
 * - kills at random points (#21.10, seeded): SIGKILL during `clean`, then the restore script; the
 *   tree must equal the original, file for file (path, size, SHA-256);
 * - cross-device: two roots on different file systems (/dev/shm tmpfs and /tmp);
 * - unprivileged runs (`setpriv` to nobody): a root-owned tree is refused with nothing changed, an
 *   own tree with an unreadable directory in it is cleaned around that directory and restored.
 * `FCX_FUZZ_RUNS` (`npm run fuzz`) raises the number of rounds. Each part prints its counts.
 */
import {spawn, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {
	chmodSync,
	chownSync,
	existsSync,
	lstatSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	unlinkSync,
	utimesSync,
	writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import fc from 'fast-check';
import {afterAll, describe, expect, test} from 'vitest';
import {metadataBytes} from '../cleanup/helpers.js';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = path.join(root, 'dist/fcx.js');
const built = existsSync(cli);
if (!built) console.warn('[adversarial] dist/fcx.js is missing (run `npm run build`): the clean attacks are SKIPPED');

const J1 = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1';
const OLD_S = Date.parse('2026-01-01T00:00:00Z') / 1000;
const fuzzRuns = Number(process.env.FCX_FUZZ_RUNS ?? '0');
const ROUNDS = Math.max(1, Math.floor(fuzzRuns / 20_000));
const made: string[] = [];
afterAll(() => {
	for (const d of made.splice(0)) rmSync(d, {recursive: true, force: true});
});

function dir(prefix: string, base = os.tmpdir()): string {
	const d = mkdtempSync(path.join(base, prefix));
	chmodSync(d, 0o755);
	made.push(d);
	return d;
}

function put(file: string, content: string | Uint8Array): void {
	mkdirSync(path.dirname(file), {recursive: true});
	writeFileSync(file, content);
	utimesSync(file, OLD_S, OLD_S);
}

/**
 * A job with its newest complete checkpoint (chk-2, needs shared/kept), `dirs` incomplete
 * `chk-<n>` directories of `filesPerDir` files and `files` unreferenced files in `shared/` (all orphans).
 */
function victim(base: string, dirs: number, files: number, filesPerDir = 10): string {
	const job = path.join(base, J1);
	put(path.join(job, 'shared/kept'), 'needed by chk-2');
	put(path.join(job, 'chk-2/_metadata'), metadataBytes(2, [path.join(job, 'shared/kept')]));
	for (let d = 0; d < dirs; d++) for (let f = 0; f < filesPerDir; f++) put(path.join(job, `chk-${100 + d}/f${f}`), `${d}/${f}`);
	for (let f = 0; f < files; f++) put(path.join(job, `shared/orphan-${f}`), `orphan ${f}`);
	return job;
}

/** Every file and symlink under `top` (quarantines left out) → `size sha256`. */
function snapshot(top: string): Map<string, string> {
	const out = new Map<string, string>();
	const walk = (at: string): void => {
		for (const e of readdirSync(at, {withFileTypes: true})) {
			const p = path.join(at, e.name);
			if (e.name === '.fcx-quarantine') continue;
			if (e.isDirectory()) {
				walk(p);
			} else {
				const bytes = e.isSymbolicLink() ? Buffer.from(`link ${p}`) : readFileSync(p);
				out.set(path.relative(top, p), `${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}`);
			}
		}
	};
	walk(top);
	return out;
}

function fcx(args: string[], options: {uid?: number} = {}): {status: number | null; stdout: string; stderr: string} {
	const command = options.uid === undefined ? process.execPath : 'setpriv';
	const argv =
		options.uid === undefined ? [cli, ...args] : [`--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups', process.execPath, cli, ...args];
	const r = spawnSync(command, argv, {encoding: 'utf8', timeout: 30_000});
	return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

function planOf(roots: string[], uid?: number): string {
	const out = path.join(dir('fcx-adv-plan-'), 'plan.json');
	if (uid !== undefined) chownSync(path.dirname(out), uid, uid);
	const r = fcx(['plan', ...roots, '--json', '--out', out, '--min-age', '0'], {uid});
	expect(r.stderr).toBe('');
	return out;
}

/** The restore scripts this run left (several roots: one script names every moved entry). */
function restoreAll(roots: string[], uid?: number): void {
	for (const r of roots) {
		const q = path.join(r, '.fcx-quarantine');
		if (!existsSync(q)) continue;
		for (const name of readdirSync(q).filter((n) => n.endsWith('.restore.sh'))) {
			const argv = uid === undefined ? ['sh', path.join(q, name)] : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', 'sh', path.join(q, name)];
			const res = spawnSync(argv[0], argv.slice(1), {encoding: 'utf8'});
			expect(res.stderr).toBe('');
		}
	}
}

/** The writer of the race: swaps each of `targets` for a symlink to its look-alike, in a loop, until killed. */
const SWAPPER = `
const fs = require('node:fs');
const pairs = JSON.parse(process.argv[1]);
const spin = (us) => { const end = process.hrtime.bigint() + BigInt(us) * 1000n; while (process.hrtime.bigint() < end); };
let i = 0;
for (;;) {
	const [target, lookalike] = pairs[i++ % pairs.length];
	try { fs.renameSync(target, target + '.real'); } catch { continue; }
	try { fs.symlinkSync(lookalike, target); spin(300); fs.unlinkSync(target); } catch {}
	try { fs.renameSync(target + '.real', target); } catch {}
	spin(300);
}`;

/** Undo what a killed swapper may have left half done. */
function unswap(targets: string[]): void {
	for (const t of targets) {
		if (!existsSync(`${t}.real`)) continue;
		if (existsSync(t) || lstatSync(t, {throwIfNoEntry: false})?.isSymbolicLink()) unlinkSync(t);
		renameSync(`${t}.real`, t);
	}
}

describe.skipIf(!built)('adversarial: fcx clean under attack', () => {
	test(`symlink races: a writer swaps planned directories and shared/ for symlinks to outside during clean, both modes (${ROUNDS} round(s) each)`, async () => {
		let attacks = 0;
		let held = 0;
		let swappedEntries = 0;
		for (let round = 0; round < ROUNDS; round++) {
			for (const mode of ['quarantine', 'delete'] as const) {
				const base = dir('fcx-adv-race-');
				const outside = dir('fcx-adv-outside-');
				const job = victim(base, 5, 300, 60);
				victim(outside, 5, 300, 60);
				const plan = planOf([base]);
				const targets = [...Array.from({length: 5}, (_, d) => `chk-${100 + d}`), 'shared', 'shared'].map((n) => path.join(job, n));
				const pairs = targets.map((t) => [t, path.join(outside, J1, path.basename(t))]);
				const outsideBefore = snapshot(outside);
				const child = spawn(process.execPath, [cli, 'clean', '--plan', plan, '--yes', ...(mode === 'delete' ? ['--delete'] : [])], {
					stdio: ['ignore', 'pipe', 'pipe'],
				});
				let stdout = '';
				child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
				const closed = new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
				let done = false;
				void closed.then(() => (done = true));
				// The writer starts when the run has scanned (its log exists): from the checks on, every
				// entry is acted on while its directories may be swapped.
				const q = path.join(base, '.fcx-quarantine');
				while (!done && !(existsSync(q) && readdirSync(q).some((n) => n.endsWith('.log')))) await new Promise((resolve) => setTimeout(resolve, 1));
				const writer = spawn(process.execPath, ['-e', SWAPPER, JSON.stringify(pairs)], {stdio: 'ignore'});
				const result = {status: await closed, stdout};
				writer.kill('SIGKILL');
				await new Promise((resolve) => writer.on('close', resolve));
				unswap(targets);
				attacks++;
				swappedEntries += (result.stdout.match(/failed:|symlink|leads/g) ?? []).length;
				const outsideAfter = snapshot(outside);
				const touched = [...outsideBefore].filter(([p, v]) => outsideAfter.get(p) !== v).map(([p]) => p);
				if (touched.length > 0) console.log(`[adversarial] ${mode}: ${touched.length} of ${outsideBefore.size} files outside the root changed or gone`);
				expect(touched).toEqual([]);
				expect(outsideAfter.size).toBe(outsideBefore.size);
				expect(existsSync(path.join(job, 'shared/kept'))).toBe(true);
				expect([0, 4]).toContain(result.status);
				held++;
			}
		}
		console.log(
			`[adversarial] symlink races: ${attacks} runs under a swapping writer (${swappedEntries} entries failed or were skipped because of a swap), ${held} held (no file outside changed)`,
		);
	});

	test('kills at random points (seeded): after the restore script the tree equals the original, file for file', async () => {
		const kills = 4 * ROUNDS;
		const ENTRIES = 70;
		/**
		 * One clean of the victim, SIGKILLed as soon as its log announces `killAt` moves (never when
		 * undefined: 0 kills before the first move); the `moving` lines of the log afterwards.
		 */
		const once = async (killAt: number | undefined): Promise<{moving: number; killed: boolean}> => {
			const base = dir('fcx-adv-kill-');
			victim(base, 10, 60);
			const before = snapshot(base);
			const plan = planOf([base]);
			const q = path.join(base, '.fcx-quarantine');
			const announced = (): number => {
				const logs = existsSync(q) ? readdirSync(q).filter((n) => n.endsWith('.log')) : [];
				return logs.reduce((n, l) => n + (readFileSync(path.join(q, l), 'utf8').match(/"event":"moving"/g) ?? []).length, 0);
			};
			const child = spawn(process.execPath, [cli, 'clean', '--plan', plan, '--yes'], {stdio: 'ignore'});
			const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
			let done = false;
			void closed.then(() => (done = true));
			while (killAt !== undefined && !done && announced() < killAt) await new Promise((resolve) => setTimeout(resolve, 1));
			if (killAt !== undefined) child.kill('SIGKILL');
			const status = await closed;
			const moving = announced();
			restoreAll([base]);
			expect(snapshot(base)).toEqual(before);
			return {moving, killed: status === null};
		};
		expect((await once(undefined)).moving).toBe(ENTRIES);
		const points = fc.sample(fc.integer({min: 0, max: ENTRIES}), {numRuns: kills, seed: fc.readConfigureGlobal().seed ?? 20_261_127});
		const runs = [];
		for (const k of points) runs.push(await once(k));
		const during = runs.filter((r) => r.killed && r.moving > 0 && r.moving < ENTRIES).length;
		console.log(
			`[adversarial] kills: ${kills} runs SIGKILLed at seeded points (after ${points.join(', ')} of ${ENTRIES} announced moves; announced when dead: ${runs.map((r) => (r.killed ? r.moving : 'finished')).join(', ')}; ${during} killed while moving), ${kills} restored exactly (+1 uninterrupted)`,
		);
	});

	const shm = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(os.tmpdir()).dev;
	if (!shm) console.warn('[adversarial] /dev/shm is missing or on the same file system as the temp directory: the cross-device run is SKIPPED');
	test.skipIf(!shm)('cross-device: roots on /dev/shm and /tmp are each quarantined in their own root and restored exactly', () => {
		const a = dir('fcx-adv-shm-', '/dev/shm');
		const b = dir('fcx-adv-tmp-');
		victim(a, 3, 5);
		victim(b, 3, 5);
		const before = [snapshot(a), snapshot(b)];
		const plan = planOf([a, b]);
		const r = fcx(['clean', '--plan', plan, '--yes']);
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		expect(readdirSync(path.join(a, J1)).sort()).toEqual(['chk-2', 'shared']);
		expect(readdirSync(path.join(b, J1)).sort()).toEqual(['chk-2', 'shared']);
		restoreAll([a, b]);
		expect([snapshot(a), snapshot(b)]).toEqual(before);
		console.log('[adversarial] cross-device: 1 run over two file systems, 1 held');
	});

	const NOBODY = 65_534;
	const setpriv = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'true']).status === 0 && process.getuid?.() === 0;
	if (!setpriv) console.warn('[adversarial] setpriv is missing or fcx does not run as root: the unprivileged runs are SKIPPED');
	test.skipIf(!setpriv)(
		'unprivileged (setpriv to nobody): a root-owned tree is refused unchanged; an own tree is cleaned around an unreadable directory and restored',
		() => {
			const owned = dir('fcx-adv-root-owned-');
			victim(owned, 2, 2);
			const before = snapshot(owned);
			const refused = fcx(['clean', '--plan', planOf([owned], NOBODY), '--yes'], {uid: NOBODY});
			expect(refused.status).toBe(4);
			expect(refused.stderr).toMatch(/^fcx: clean: cannot make .*\.fcx-quarantine: EACCES.*nothing was changed\n$/);
			expect(snapshot(owned)).toEqual(before);

			const mine = dir('fcx-adv-nobody-');
			victim(mine, 2, 2);
			spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, mine]);
			const locked = path.join(mine, J1, 'chk-101');
			const plan = planOf([mine], NOBODY);
			chownSync(locked, 0, 0);
			chmodSync(locked, 0o700);
			const r = fcx(['clean', '--plan', plan, '--yes'], {uid: NOBODY});
			expect(r.status).toBe(4);
			expect(r.stdout).toMatch(/chk-101/);
			expect(existsSync(path.join(locked, 'f0'))).toBe(true);
			expect(existsSync(path.join(mine, J1, 'chk-100'))).toBe(false);
			chmodSync(locked, 0o755);
			chownSync(locked, NOBODY, NOBODY);
			restoreAll([mine], NOBODY);
			expect(readdirSync(path.join(mine, J1)).sort()).toEqual(['chk-100', 'chk-101', 'chk-2', 'shared']);
			console.log('[adversarial] unprivileged: 2 runs as nobody, 2 held');
		},
	);
});
