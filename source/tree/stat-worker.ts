/**
 * The stat worker: the code of a child process that `lstat`s (or `stat`s) the files of many
 * directories for the scan. It runs with `node -e` from its own source text
 * ({@link statWorkerSource}), so that it works from the sources (tests) and from the bundle alike,
 * and it is still linted and type-checked here: {@link statWorkerMain} must use nothing from outside
 * its body (no imports, no module-level names), since only its text reaches the child.
 *
 * Protocol: messages `{dirs, names, counts}`, then `{follow, resultFiles}`. The `counts[g]` names of
 * directory `dirs[g]` come joined by NUL (which no file name holds) in `names[g]`, one string per
 * directory (a million strings cost more to send). It `lstat`s them (`stat`s with `follow`)
 * synchronously, relative to each directory after `chdir` into it (a child process can `chdir`, a
 * worker thread cannot: the kernel then walks one path component instead of all). It posts the
 * results of every `resultFiles` files as `{at, kinds, sizes, mtimes, errors, end}` (typed arrays;
 * `errors`: index → message), with a turn of its event loop after each so that they arrive as it
 * goes (progress): one message of a million results was 50 MB more peak memory on the receiving side.
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
	names: string[];
	counts: number[];
}

/** The start signal: stat everything sent, posting every `resultFiles` results. */
interface StartMessage {
	dirs?: undefined;
	follow: boolean;
	resultFiles: number;
}

/**
 * The body of the worker process. Only its text is run (see the module comment): `fs` is Node's,
 * given by {@link statWorkerSource}. Longer than a screen because splitting
 * it would need module-level helpers, which the child would not have.
 */
export function statWorkerMain(fs: typeof import('node:fs'), kind: StatKindCodes): void {
	const dirs: string[] = [];
	const names: string[] = [];
	const counts: number[] = [];
	// A rejection here ends this child with a non-zero code, which the scan reports as a failed stat
	// worker (scan.ts: 'close' without the end message rejects): no result is ever invented.
	// eslint-disable-next-line @typescript-eslint/no-misused-promises
	process.on('message', async (message: NamesMessage | StartMessage) => {
		if (message.dirs !== undefined) {
			for (let g = 0; g < message.dirs.length; g++) {
				dirs.push(message.dirs[g]);
				names.push(message.names[g]);
				counts.push(message.counts[g]);
			}
			return;
		}
		const {follow, resultFiles} = message;
		let n = 0;
		for (const count of counts) n += count;
		const chunk = Math.max(1, Math.min(n, resultFiles));
		const kinds = new Uint8Array(chunk);
		const sizes = new Float64Array(chunk);
		const mtimes = new Float64Array(chunk);
		let errors = new Map<number, string>();
		let at = 0;
		let k = 0;
		const post = (end: boolean): void => {
			const results = {at, kinds: kinds.slice(0, k), sizes: sizes.slice(0, k), mtimes: mtimes.slice(0, k), errors, end};
			if (end) process.send!(results, () => process.disconnect());
			else process.send!(results);
			at += k;
			k = 0;
			errors = new Map();
		};
		for (let g = 0; g < dirs.length; g++) {
			let prefix = '';
			try {
				process.chdir(dirs[g]);
			} catch {
				prefix = dirs[g] + '/'; // the errors name the files
			}
			for (const name of counts[g] === 0 ? [] : names[g].split('\0')) {
				try {
					const st = follow ? fs.statSync(prefix + name, {throwIfNoEntry: false}) : fs.lstatSync(prefix + name, {throwIfNoEntry: false});
					if (st === undefined) {
						kinds[k] = kind.vanished;
						errors.set(k, 'ENOENT: no such file or directory');
					} else {
						kinds[k] = st.isFile() ? kind.file : follow && st.isDirectory() ? kind.directory : st.isSymbolicLink() ? kind.symlink : kind.other;
						sizes[k] = st.size;
						mtimes[k] = Math.trunc(st.mtimeMs);
					}
				} catch (error) {
					kinds[k] = kind.error;
					const code = (error as NodeJS.ErrnoException | null)?.code;
					errors.set(k, code ? `${code}: ${(error as Error).message}` : String(error));
				}
				if (++k === chunk) {
					post(false);
					// A turn of the event loop, in which the results go into the pipe as fcx reads it:
					// without it they waited for the end of the loop.
					await new Promise((resolve) => setImmediate(resolve));
				}
			}
		}
		post(true);
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
	return `var __name = (f) => f;\n(${statWorkerMain.toString()})(require('node:fs'), ${JSON.stringify(kind)});`;
}
