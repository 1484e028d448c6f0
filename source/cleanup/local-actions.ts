/**
 * The local disk's {@link StoreActions}: roots are directories whose real paths are pinned, the
 * quarantine and the log go into `<root>/.fcx-quarantine` (a real directory inside the root, never
 * a symlink), entries are re-checked with `lstat` (`recheck.ts`'s {@link checkEntry}) and moved or
 * deleted inside their pinned parent directory (`act.ts`'s {@link Run}).
 */
import {mkdir, realpath} from 'node:fs/promises';
import * as nodePath from 'node:path';
import type {Analysis} from '../analysis/types.js';
import {isInside} from '../tree/layout.js';
import {QUARANTINE_DIR} from '../tree/scan.js';
import {ExecutionRefusedError, quarantineBase, Run} from './act.js';
import {CleanWriteError, writeErrorCause} from './journal.js';
import type {Fingerprint} from './plan.js';
import {checkEntry, type FreshIndex} from './recheck.js';
import type {LogLine, PreparedRun, RunSetup, StoreActions} from './store-actions.js';
import type {ExecutionRecord, PlanEntry} from './types.js';

/** The local disk's actions for a plan with roots `planRoots` (see the module doc). */
export class LocalActions implements StoreActions {
	readonly warnings: string[] = [];
	private readonly realRoots = new Map<string, string>();
	private readonly quarantineBases = new Map<string, string>();
	private roots: string[] = [];
	private run: Run | null = null;

	constructor(
		private readonly planRoots: readonly string[],
		private readonly setup: RunSetup,
	) {}

	private rootOf(p: string): string | undefined {
		return this.roots.filter((r) => isInside(p, r) && p !== r).sort((a, b) => b.length - a.length)[0];
	}

	/**
	 * Nothing is written under a root that is not there now (an unmounted file system's mount
	 * point, say): no log, no quarantine, no directories made; its entries are outside the roots.
	 * Every root's quarantine is checked before anything is done (when entries may move there); the
	 * log's is made now, the others when something is first moved there.
	 */
	async prepare(fresh: Analysis): Promise<PreparedRun> {
		const rootDirs = this.planRoots.filter((r) => fresh.roots.includes(r) && !fresh.scannedFiles.has(r) && !r.endsWith('/_metadata'));
		for (const r of rootDirs) {
			try {
				this.realRoots.set(r, await realpath(r));
			} catch {
				// a missing root: its entries are reported missing
			}
		}
		this.roots = rootDirs.filter((r) => this.realRoots.has(r));
		if (this.roots.length === 0) throw new ExecutionRefusedError(`none of the plan's roots is a directory now (${this.planRoots.join(', ')})`);
		const {setup} = this;
		if (!setup.delete) for (const r of this.roots) await quarantineBase(r, this.realRoots.get(r)!, false);
		const first = this.roots[0];
		if (setup.logPath === undefined) this.quarantineBases.set(first, await quarantineBase(first, this.realRoots.get(first)!, true));
		const logPath = setup.logPath ?? nodePath.join(this.quarantineBases.get(first)!, `${setup.timestamp}.log`);
		if (setup.logPath !== undefined) {
			try {
				await mkdir(nodePath.dirname(logPath), {recursive: true});
			} catch (error) {
				throw new CleanWriteError(logPath, writeErrorCause(error), 'nothing was changed');
			}
		}
		return {
			roots: this.roots,
			logPath,
			logFlag: 'a',
			start: {quarantine: setup.delete ? null : rootDirs.map((r) => nodePath.join(r, QUARANTINE_DIR, setup.timestamp))},
		};
	}

	begin(log: LogLine, logPath: string): void {
		const {setup} = this;
		this.run = new Run({
			nowMs: setup.nowMs,
			timestamp: setup.timestamp,
			logPath,
			log,
			openJournal: setup.openJournal,
			realRoots: this.realRoots,
			quarantineBases: this.quarantineBases,
			rootOf: (p) => this.rootOf(p),
			delete: setup.delete,
		});
	}

	recheck(entry: PlanEntry, root: string | undefined, fp: Fingerprint, youngSince: number, index: FreshIndex): Promise<string | null> {
		return checkEntry(entry, root, this.realRoots.get(root ?? '') ?? '', fp, youngSince, index);
	}

	act(entry: PlanEntry): Promise<ExecutionRecord> {
		return this.run!.act(entry);
	}

	finish(): void {
		this.run?.finish();
	}

	close(): void {
		this.run?.close();
	}

	outcome(): {restoreCommand: string | null; quarantineDirs: string[]} {
		return {restoreCommand: this.run?.restoreCommand ?? null, quarantineDirs: [...(this.run?.usedQuarantines ?? [])].sort()};
	}
}
