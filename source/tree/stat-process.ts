/**
 * One stat worker process (`stat-worker.ts`) of the stat pool (`stat-pool.ts`): started, fed the
 * names of directories as they come (while the crawl still runs), and read for results.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import type {CrawledDirectory} from './stat-pool.js';
import type {StatArrays} from './stat-worker.js';

/** The stat results of files `at … at + kinds.length - 1` of a stat worker's ({@link StatArrays}, error indices relative to `at`). */
export interface StatResults extends StatArrays {
	at: number;
	/** The worker's last message. */
	end: boolean;
}

/** A stat worker process at work ({@link startStatProcess}). */
export interface StatProcess {
	child: ChildProcess;
	/** Send the directories added to its list since the last call (in messages of about `nameBytes`). */
	pump: () => void;
	/** No more directories will be added: once the list is sent, the worker is told so. */
	close: () => void;
	/** The whole list and its end are written, or cannot be (never rejects). */
	sent: Promise<void>;
	/** The last results arrived (rejects when the worker cannot start or ends before). */
	done: Promise<void>;
}

/**
 * Start a stat worker process running `program` (`statWorkerSource`) with `start` as its first
 * message, on the names of `dirs`: a list the caller appends to and then calls
 * {@link StatProcess.pump}, until {@link StatProcess.close}. `onResults` takes each
 * {@link StatResults} message. A worker still running when fcx ends is stopped.
 */
export function startStatProcess(
	program: string,
	dirs: readonly CrawledDirectory[],
	start: {follow: boolean; resultFiles: number},
	nameBytes: number,
	onResults: (message: StatResults) => void,
): StatProcess {
	const child = spawn(process.execPath, ['-e', program], {stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced'});
	const done = endOf(child, onResults);
	// Handled by whoever awaits it, maybe only once the crawl is over.
	done.catch(() => undefined);
	child.send(start, () => undefined);

	// In messages of about `nameBytes`, each sent when the one before is written: one message of a
	// million names was 90 MB more peak memory here.
	let next = 0;
	let writing = false;
	let closed = false;
	let ended = false;
	let resolveSent: () => void = () => undefined;
	const sent = new Promise<void>((resolve) => {
		resolveSent = resolve;
	});
	const pump = (): void => {
		if (writing || ended) return;
		if (next === dirs.length) {
			if (!closed) return;
			ended = true;
			child.send({end: true}, () => resolveSent());
			return;
		}
		const first = next;
		let bytes = 0;
		while (next < dirs.length && (next === first || bytes < nameBytes)) {
			bytes += dirs[next].dir.length + 1;
			for (const name of dirs[next].names) bytes += name.length + 1;
			next++;
		}
		const slice = dirs.slice(first, next);
		writing = true;
		child.send({dirs: slice.map(({dir}) => dir), names: slice.map(({names}) => names)}, (error) => {
			writing = false;
			if (error) {
				ended = true;
				resolveSent();
			} else {
				pump();
			}
		});
	};
	const close = (): void => {
		closed = true;
		pump();
	};
	return {child, pump, close, sent, done};
}

/**
 * When the worker `child` has sent its last results (each message goes to `onResults`): rejects
 * when it cannot start or ends before. It is stopped if fcx ends first.
 */
function endOf(child: ChildProcess, onResults: (message: StatResults) => void): Promise<void> {
	const stop = (): void => {
		child.kill();
	};
	process.once('exit', stop);
	return new Promise<void>((resolve, reject) => {
		let settled = false;
		const settle = (): void => {
			settled = true;
			process.off('exit', stop);
		};
		child.on('message', (message: StatResults) => {
			onResults(message);
			if (message.end) {
				settle();
				resolve();
			}
		});
		child.on('error', (error) => {
			settle();
			reject(error);
		});
		// 'close', not 'exit': a worker may exit before this side has read its last message.
		child.on('close', (code, signal) => {
			if (settled) return;
			settle();
			reject(new Error(`stat worker exited with ${signal ?? `code ${code}`}`));
		});
	});
}
