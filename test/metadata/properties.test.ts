import {describe, expect, it} from 'vitest';
import {checkpointProperties, savepointProperties} from '../../source/metadata/index.js';

describe('CheckpointProperties factories (Flink CheckpointProperties.forCheckpoint / forSavepoint)', () => {
	it('maps the retention policy to the discard flags as Flink does', () => {
		const flags = (policy: Parameters<typeof checkpointProperties>[0]) => {
			const p = checkpointProperties(policy);
			return [p.discardSubsumed, p.discardFinished, p.discardCancelled, p.discardFailed, p.discardSuspended];
		};
		expect(flags('NEVER_RETAIN_AFTER_TERMINATION')).toEqual([true, true, true, true, true]);
		expect(flags('RETAIN_ON_FAILURE')).toEqual([true, true, true, false, false]);
		expect(flags('RETAIN_ON_CANCELLATION')).toEqual([true, true, false, true, false]);
		expect(checkpointProperties(undefined, true).unclaimed).toBe(true);
	});

	it('savepoints discard nothing and carry their format', () => {
		const p = savepointProperties('NATIVE');
		expect(p.checkpointType).toEqual({kind: 'savepoint', name: 'Savepoint', postCheckpointAction: 'NONE', formatType: 'NATIVE'});
		expect([p.discardSubsumed, p.discardFinished, p.discardCancelled, p.discardFailed, p.discardSuspended]).toEqual([false, false, false, false, false]);
	});
});
