/**
 * The stat worker processes this test process runs (`node -e` with `statWorkerMain`'s text), found
 * in `/proc`: for the tests that kill them mid-work or check that none is left.
 */
import {readdirSync, readFileSync} from 'node:fs';

/** The pids of this process's children that run a stat worker (`node -e …`). */
export function statWorkerChildren(): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('statWorkerMain')) pids.push(Number(entry));
		} catch {
			// gone meanwhile
		}
	}
	return pids;
}

/** The stat workers still running once those that were ending have ended (waits up to 10 s for them). */
export async function statWorkersLeft(): Promise<number[]> {
	const deadline = Date.now() + 10_000;
	while (statWorkerChildren().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
	return statWorkerChildren();
}
