/**
 * Copying to the clipboard of the terminal the person sits at, through OSC 52: the terminal itself
 * sets its clipboard, so it works over SSH and inside tmux (with `set -g set-clipboard on`).
 */
import type {Row, ViewRef} from './views/types.js';

/** The OSC 52 sequence that sets the clipboard (`c`) to `text` (UTF-8, base64), ended by BEL. */
export function osc52(text: string): string {
	return `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

/** The path a view shows (a job, checkpoint or storage directory; a file `r` looked up); `undefined` for lists of many. */
function viewPath(view: ViewRef | undefined): string | undefined {
	switch (view?.type) {
		case 'checkpoints':
			return view.jobPath;
		case 'checkpoint':
			return view.checkpointPath;
		case 'files':
			return view.dependencyPath;
		case 'referencedBy':
			return view.path;
		case 'orphans':
			return view.dir;
		default:
			return undefined;
	}
}

/**
 * The absolute path a row stands for, as `y` copies it: the orphan, the directory or file `r`
 * looks up, else what Enter opens, else the `Path` of its details (a warning); `undefined` when
 * it names none (an operator).
 */
export function rowPath(row: Row): string | undefined {
	return row.orphan?.path ?? row.refPath ?? viewPath(row.open) ?? row.details().find((line) => line.label === 'Path')?.value;
}
