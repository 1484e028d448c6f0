/**
 * Acting on an entry without a check-then-act race: the process `chdir`s into the directory that
 * holds the entry, checks that its real path (`realpath('.')`) is the real directory under the
 * root that the plan names, and then acts on the bare name. The working directory is a reference
 * to the directory itself, not to its path, so a writer that swaps a directory on the way for a
 * symlink to elsewhere after the check can only make the entry fail: nothing outside is reached.
 * A directory is deleted the same way, one directory at a time, each entered with `chdir` and
 * compared (device, inode) with what `lstat` saw before entering.
 *
 * Synchronous on purpose: the working directory is process-wide, and no other file operation of
 * this process may run (and resolve a relative path) while it is moved. The caller restores it
 * with {@link withPinnedDirectories}. Not usable in a worker thread (Node forbids `chdir` there).
 */
import {lstatSync, readdirSync, realpathSync, renameSync, rmdirSync, unlinkSync, type Stats} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import process from 'node:process';

/** The entry changed under fcx (swapped, replaced by a symlink): it was left alone. */
export class PinError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PinError';
	}
}

/** Run `act` and give the process its working directory back afterwards, whatever happened. */
export function withPinnedDirectories<T>(act: () => T): T {
	const cwd = process.cwd();
	try {
		return act();
	} finally {
		try {
			process.chdir(cwd);
		} catch {
			process.chdir('/');
		}
	}
}

/**
 * `chdir` into `dir` and check that its real path is `expectedReal` (the real root joined with
 * the path below the root).
 * @throws PinError when it is elsewhere (a symlink on the way); the error of `chdir` otherwise
 */
function pin(dir: string, expectedReal: string): void {
	process.chdir(dir);
	const real = realpathSync('.');
	if (real !== expectedReal) throw new PinError(`${dir} now leads to ${real}, not the directory under the root`);
}

/** `lstat` of `name` in the pinned directory, which must be a `type` and not a symlink. */
function checkedEntry(name: string, type: 'file' | 'directory'): Stats {
	const st = lstatSync(name);
	if (st.isSymbolicLink()) throw new PinError('became a symlink');
	if (type === 'directory' ? !st.isDirectory() : !st.isFile()) throw new PinError(`is no longer a ${type}`);
	return st;
}

const sameInode = (a: Stats, b: Stats): boolean => a.dev === b.dev && a.ino === b.ino;

/**
 * Rename entry `name` of `dir` (real path `expectedReal`) to the absolute path `dest`, whose
 * directory's real path must be `expectedDestReal`. The moved entry is checked at `dest`: when it
 * is not what was checked in `dir`, or landed elsewhere (swapped in between), it is renamed back
 * and the entry fails.
 * @throws PinError, or the error of the rename
 */
export function moveEntry(dir: string, expectedReal: string, name: string, type: 'file' | 'directory', dest: string, expectedDestReal: string): void {
	pin(dir, expectedReal);
	const before = checkedEntry(name, type);
	renameSync(name, dest);
	const after = lstatSync(dest);
	if (!sameInode(before, after)) {
		renameSync(dest, name);
		throw new PinError('was swapped while being moved (moved back)');
	}
	// The quarantine directory is named by path: when it was swapped for a symlink meanwhile, the
	// entry went elsewhere; it comes back.
	const destDir = realpathSync(dirname(dest));
	if (destDir !== expectedDestReal) {
		renameSync(join(destDir, basename(dest)), name);
		throw new PinError(`the quarantine directory ${dirname(dest)} led to ${destDir} (moved back)`);
	}
}

/**
 * Delete entry `name` of `dir` (real path `expectedReal`): a file is unlinked, a directory
 * emptied one pinned directory at a time and removed. A symlink met on the way is unlinked,
 * never followed.
 * @throws PinError when a directory was swapped while being emptied (what was deleted before
 * stays deleted: all of it was inside the entry), or the error of the file operation
 */
export function deleteEntry(dir: string, expectedReal: string, name: string, type: 'file' | 'directory'): void {
	pin(dir, expectedReal);
	const st = checkedEntry(name, type);
	if (type === 'file') unlinkSync(name);
	else removeDirectory(name, st, lstatSync('.'));
}

/** Empty and remove directory `name` of the working directory (`parent`), which `lstat` saw as `st`. */
function removeDirectory(name: string, st: Stats, parent: Stats): void {
	process.chdir(name);
	const here = lstatSync('.');
	if (!sameInode(here, st)) throw new PinError(`${name} was swapped while being deleted`);
	for (const child of readdirSync('.')) {
		const cst = lstatSync(child);
		if (cst.isDirectory()) removeDirectory(child, cst, here);
		else unlinkSync(child);
	}
	process.chdir('..');
	if (!sameInode(lstatSync('.'), parent)) throw new PinError(`the directory holding ${name} was moved while it was deleted`);
	rmdirSync(name);
}
