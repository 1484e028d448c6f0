/**
 * The stat worker: the code of a child process that `lstat`s (or `stat`s) the files of many
 * directories for the scan. It runs with `node -e` from its own source text
 * ({@link statWorkerSource}), so that it works from the sources (tests) and from the bundle alike,
 * and it is still linted and type-checked here: {@link statWorkerMain} and {@link statInto} must use
 * nothing from outside their bodies (no imports, no module-level names), since only their text
 * reaches the child.
 *
 * Protocol: first `{follow, resultFiles}`, then messages `{dirs, names}` as the crawl reads the
 * directories, then `{end: true}`, and `{stop}` at any time. The names of directory `dirs[g]` are
 * `names[g]` (arrays as they are: joining each directory's names into one string, as this did,
 * cost fcx 0.3 s more on the 1M-file bench tree, and serialising them no less). It `lstat`s them (`stat`s with `follow`) synchronously, in
 * order, as they arrive, relative to each directory after `chdir` into it (a child process can
 * `chdir`, a worker thread cannot: the kernel then walks one path component instead of all), and
 * ends before the name of index `stop` (the lowest received; the names from there on are another
 * thread's) or after the last name once `end` has come. It posts the results of every `resultFiles`
 * files (and what it has when it runs out of names before the end) as `{at, kinds, sizes, mtimes,
 * errors, end}` (typed arrays; `errors`: index → message), with a turn of its event loop after each
 * so that they arrive as it goes (progress) and names and a `stop` can arrive: one message of a
 * million results was 50 MB more peak memory on the receiving side. The last message (`end`) ends
 * at the index where it stopped.
 */

/** The numbers the worker writes for what one `lstat` found (the scan's `StatKind`). */
export interface StatKindCodes {
	vanished: number;
	file: number;
	symlink: number;
	other: number;
	error: number;
	directory: number;
}

/** One batch of names sent to a worker. */
interface NamesMessage {
	dirs: string[];
	names: string[][];
	stop?: undefined;
	end?: undefined;
}

/** The first message: stat the names as they come, posting every `resultFiles` results. */
interface StartMessage {
	dirs?: undefined;
	stop?: undefined;
	end?: undefined;
	follow: boolean;
	resultFiles: number;
}

/** No more names will come: end after the last one. */
interface EndMessage {
	dirs?: undefined;
	stop?: undefined;
	end: true;
}

/** Stat no name from index `stop` on (of all the names sent, from 0): another thread takes them. May come before the start. */
interface StopMessage {
	dirs?: undefined;
	stop: number;
	end?: undefined;
}

/** `lstat` results of consecutive files: {@link statInto} writes them. */
export interface StatArrays {
	kinds: Uint8Array;
	sizes: Float64Array;
	mtimes: Float64Array;
	/** Index → message, for the errors and vanished files. */
	errors: Map<number, string>;
}

/**
 * `lstat` (`stat` with `follow`) `path` into `out` at index `k`: the one implementation of what a
 * stat worker and the scan's own thread record for a file. `path` is a name relative to `dir`
 * (the worker is in it) or `dir + '/' + name`; an error message names the file by its full path
 * either way, so that both give the same. Never throws. It runs in the worker from its text too
 * (see the module comment): it must use nothing from outside its body.
 */
export function statInto(fs: typeof import('node:fs'), kind: StatKindCodes, follow: boolean, dir: string, path: string, out: StatArrays, k: number): void {
	// A name whose full path may be longer than the system takes (Linux: 4,096 bytes with its end; a
	// UTF-16 unit is at most 3 bytes) is `lstat`ed by that full path, as on the scan's own thread: both
	// then fail alike (ENAMETOOLONG), and the file is unseen, as it is to the rest of fcx, which names
	// files by their full paths (a worker in its directory would have found a file fcx cannot delete).
	const target = path.charCodeAt(0) === 47 || 3 * (dir.length + 1 + path.length) < 4096 ? path : `${dir}/${path}`;
	try {
		const st = follow ? fs.statSync(target, {throwIfNoEntry: false}) : fs.lstatSync(target, {throwIfNoEntry: false});
		if (st === undefined) {
			out.kinds[k] = kind.vanished;
			out.sizes[k] = 0;
			out.mtimes[k] = 0;
			out.errors.set(k, 'ENOENT: no such file or directory');
		} else {
			out.kinds[k] = st.isFile() ? kind.file : follow && st.isDirectory() ? kind.directory : st.isSymbolicLink() ? kind.symlink : kind.other;
			out.sizes[k] = st.size;
			out.mtimes[k] = Math.trunc(st.mtimeMs);
		}
	} catch (error) {
		const code = (error as NodeJS.ErrnoException | null)?.code;
		// Not there (a component of the path is no directory, or gone): by the error's code, never its wording.
		out.kinds[k] = code === 'ENOENT' || code === 'ENOTDIR' ? kind.vanished : kind.error;
		out.sizes[k] = 0;
		out.mtimes[k] = 0;
		const message = code === undefined ? '' : (error as Error).message;
		// Node's message starts with its code already: not twice (`EACCES: EACCES: …`).
		const named = target.startsWith('/') ? message : message.replace(`'${target}'`, () => `'${dir}/${target}'`);
		out.errors.set(k, code ? (named.startsWith(`${code}:`) ? named : `${code}: ${named}`) : String(error));
	}
}

/**
 * The body of the worker process. Only its text is run (see the module comment): `fs` is Node's,
 * given by {@link statWorkerSource}, and `stat` is {@link statInto}. Longer than a screen because
 * splitting it would need module-level helpers, which the child would not have.
 */
export function statWorkerMain(fs: typeof import('node:fs'), kind: StatKindCodes, stat: typeof statInto): void {
	const dirs: string[] = [];
	const names: string[][] = [];
	/** The index (of all names) at which to end, lowered by {@link StopMessage}s. */
	let stop = Number.POSITIVE_INFINITY;
	/** Whether the {@link EndMessage} has come. */
	let ended = false;
	/** Called by the next message, while the loop below waits for names. */
	let wake: (() => void) | undefined;
	// A rejection here ends this child with a non-zero code, which the scan reports as a failed stat
	// worker (scan.ts: 'close' without the end message rejects): no result is ever invented.
	const run = async ({follow, resultFiles}: StartMessage): Promise<void> => {
		const chunk = Math.max(1, resultFiles);
		const out = {kinds: new Uint8Array(chunk), sizes: new Float64Array(chunk), mtimes: new Float64Array(chunk), errors: new Map<number, string>()};
		let at = 0;
		let k = 0;
		const post = (end: boolean): void => {
			const results = {at, kinds: out.kinds.slice(0, k), sizes: out.sizes.slice(0, k), mtimes: out.mtimes.slice(0, k), errors: out.errors, end};
			if (end) process.send!(results, () => process.disconnect());
			else process.send!(results);
			at += k;
			k = 0;
			out.errors = new Map();
		};
		for (let g = 0; ;) {
			for (; g < dirs.length && at + k < stop; g++) {
				let prefix = '';
				try {
					process.chdir(dirs[g]);
				} catch {
					prefix = dirs[g] + '/'; // the errors name the files
				}
				for (const name of names[g]) {
					if (at + k >= stop) break;
					stat(fs, kind, follow, dirs[g], prefix + name, out, k);
					if (++k === chunk) post(false);
					// A turn of the event loop every few hundred files (a few ms), in which the results go
					// into the pipe as fcx reads it (without it they waited for the end of the loop), and
					// names and a stop arrive. Names are read from the pipe only in these turns: one turn per
					// 4,096 files read them slower than the crawl sent them, and fcx then waited 2 s (of 7)
					// on the 1M-file bench tree for the last of them to be written.
					if ((at + k) % 512 === 0) await new Promise((resolve) => setImmediate(resolve));
				}
				names[g] = []; // done with: not kept until the end
			}
			if (at + k >= stop || (ended && g === dirs.length)) break;
			// Out of names before the end: what there is goes now (progress), then wait for more.
			if (k > 0) post(false);
			await new Promise<void>((resolve) => {
				wake = resolve;
			});
			wake = undefined;
		}
		post(true);
	};
	process.on('message', (message: NamesMessage | StartMessage | StopMessage | EndMessage) => {
		if (message.dirs !== undefined) {
			for (let g = 0; g < message.dirs.length; g++) {
				dirs.push(message.dirs[g]);
				names.push(message.names[g]);
			}
		} else if (message.stop !== undefined) {
			// Read at the turns of the event loop in `run` (between chunks of results).
			stop = Math.min(stop, message.stop);
		} else if (message.end === true) {
			ended = true;
		} else {
			void run(message);
		}
		wake?.();
	});
}

/**
 * The `node -e` program of a stat worker: {@link statWorkerMain}'s text, called with Node's `fs` and
 * `kind`. Compiled code is not the source: a bundler rewrites a `require` in the function's body
 * (esbuild: `__require`), and tsx (the tests) wraps its arrow functions in `__name(…)`, neither of
 * which the child has. Every worker failed at start, and the scan `lstat`ed big trees on the main
 * thread instead. So the `require` is in this string, and `__name` a stand-in that names nothing.
 */
export function statWorkerSource(kind: StatKindCodes): string {
	return `var __name = (f) => f;\n(${statWorkerMain.toString()})(require('node:fs'), ${JSON.stringify(kind)}, ${statInto.toString()});`;
}
