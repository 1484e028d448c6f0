/**
 * Probing ahead while the files load (`Prober.probeAhead`): after each snapshot is accumulated,
 * the plain file names its written directories gained, by the local directory the resolver would
 * probably map each of those to (`Resolver.guessLocalDir`). Paths inside the roots are never
 * probed: a tree given by its root costs only a look at each new spelling's directory.
 */
import type {BuildContext} from './context.js';
import {flatString} from './helpers.js';
import type {WrittenDir} from './snapshot-files.js';

/** A written directory whose names are given ahead: the rest of its names to come, and where they probably are (`null`: not to probe). */
interface Followed {
	names: Iterator<string> | undefined;
	local: string | null | undefined;
}

/** The names of the spellings added since the last {@link NamesAhead.note}, handed to the prober by probable directory. */
export class NamesAhead {
	/** The spellings noted so far (ids below this one). */
	private noted = 0;
	private readonly dirs = new Map<WrittenDir, Followed>();

	/** Give the prober the plain names of the spellings added since the last call (in its written directories' order). */
	note(ctx: BuildContext): void {
		const {spellings} = ctx;
		const count = spellings.count;
		for (let sid = this.noted; sid < count;) {
			const wd = spellings.dir[sid];
			let end = sid + 1;
			while (end < count && spellings.dir[end] === wd) end++;
			this.noteRun(ctx, wd, sid, end);
			sid = end;
		}
		this.noted = count;
	}

	/** The new spellings `from … to - 1`, all of `wd`: its next names (a directory's spellings are its map's keys, in the order of their ids). */
	private noteRun(ctx: BuildContext, wd: WrittenDir, from: number, to: number): void {
		let followed = this.dirs.get(wd);
		if (followed === undefined) {
			// A live iterator: it goes on to the names added after it was made.
			followed = {names: wd.spellings.keys(), local: wd.dir.length === 0 ? null : undefined};
			this.dirs.set(wd, followed);
		}
		if (followed.local === undefined) {
			// Known once a snapshot of its job has anchored it (see `Resolver.anchor`), usually at once.
			const local = ctx.resolver.guessLocalDir(wd.dir);
			if (local !== undefined) followed.local = ctx.inside(local) ? null : flatString(local);
		}
		if (followed.local === null) {
			followed.names = undefined;
			return;
		}
		const names: string[] = [];
		for (let sid = from; sid < to; sid++) {
			const name = followed.names!.next().value as string;
			if (followed.local !== undefined && ctx.spellings.plain[sid] === 1) names.push(name);
		}
		if (names.length > 0) ctx.prober.probeAhead(followed.local!, names);
	}
}
