import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {KeptReferences} from '../../source/analysis/kept-references.js';
import type {FileReference} from '../../source/metadata/types.js';

/** Any file reference as `collectReferences` makes them (optional fields absent, not undefined). */
const reference: fc.Arbitrary<FileReference> = fc
	.record({
		handle: fc.constantFrom('file', 'relative', 'segment', 'directory', 'inline'),
		path: fc.string(),
		size: fc.oneof(fc.constant(-1), fc.nat(), fc.double({min: 0, max: 2 ** 60, noNaN: true})),
		startPos: fc.option(fc.nat(), {nil: undefined}),
		scope: fc.option(fc.constantFrom('exclusive', 'shared'), {nil: undefined}),
		operatorId: fc.constantFrom('0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210'),
		subtaskIndex: fc.option(fc.nat(4096), {nil: null}),
		slot: fc.constantFrom(
			'coordinatorState',
			'managedOperatorState',
			'rawOperatorState',
			'managedKeyedState',
			'rawKeyedState',
			'inputChannelState',
			'resultSubpartitionState',
			'legacyOperatorState',
		),
		role: fc.constantFrom('delegate', 'metaState', 'shared', 'private', 'channel', 'materialized', 'changelog'),
		localPath: fc.option(fc.string(), {nil: undefined}),
	})
	.map((r) => {
		const out: FileReference = {
			handle: r.handle,
			path: r.path,
			size: r.size,
			operatorId: r.operatorId,
			subtaskIndex: r.subtaskIndex,
			slot: r.slot,
			role: r.role,
		};
		if (r.startPos !== undefined) out.startPos = r.startPos;
		if (r.scope !== undefined) out.scope = r.scope;
		if (r.localPath !== undefined) out.localPath = r.localPath;
		return out;
	});

describe('KeptReferences', () => {
	it('gives back every reference kept, equal to itself and to no reference that differs', () => {
		fc.assert(
			fc.property(fc.array(reference, {minLength: 1, maxLength: 1500}), (refs) => {
				const kept = new KeptReferences();
				const ids = refs.map((ref) => kept.add(ref));
				expect(ids).toEqual(refs.map((_, i) => i));
				refs.forEach((ref, id) => {
					expect(kept.reference(id)).toStrictEqual(ref);
					expect([kept.handleOf(id), kept.pathOf(id)]).toEqual([ref.handle, ref.path]);
					expect(kept.equals(id, ref)).toBe(true);
				});
				for (let id = 1; id < refs.length; id++) {
					expect(kept.equals(id, refs[id - 1])).toBe(JSON.stringify(refs[id]) === JSON.stringify(refs[id - 1]));
				}
			}),
			{numRuns: 50},
		);
	});
});
