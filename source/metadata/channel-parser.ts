/**
 * Parser of the channel-state handles of unaligned checkpoints (docs/format.md#channel-state), as
 * `ChannelStateHandleSerializerV1/V2` write them: layouts A (Flink 1.11), B (1.12 … 2.0) and C
 * (V6+, tagged, with merged handles). Their delegates are stream handles ({@link HandleParser}).
 */
import {HandleParser, INT_MAX, MAX_PARALLELISM} from './handle-parser.js';
import type {AnyChannelStateHandle, I64, MergedChannelStateHandle} from './types.js';

/** {@link HandleParser} with the channel-state lists of a subtask. */
export class ChannelParser extends HandleParser {
	protected channelList(input: boolean): AnyChannelStateHandle[] {
		const r = this.r;
		const layout = this.layout.channelState;
		const what = input ? 'number of input channel state handles' : 'number of result subpartition state handles';
		// The layouts differ as soon as a list is not empty, starting with the bytes a handle takes
		// at least: note that before the count is checked against them, so a failed check under one
		// layout does not rule out the others.
		const at = r.offset;
		if (r.i32(what) !== 0) this.sawChannel = true;
		r.offset = at;
		const n = r.count(what, layout === 'A' ? 21 : layout === 'B' ? 25 : 18);
		const out: AnyChannelStateHandle[] = new Array(n);
		for (let i = 0; i < n; i++) {
			if (layout !== 'C') {
				out[i] = this.singleChannel(layout === 'B');
				continue;
			}
			const at = r.offset;
			const kind = r.u8('a channel state handle kind');
			if (input ? kind === 1 : kind === 2) out[i] = this.singleChannel(true);
			else if (input ? kind === 3 : kind === 4) out[i] = this.mergedChannel();
			else r.fail(input ? 'an input channel state handle kind (1, 3)' : 'a result subpartition state handle kind (2, 4)', String(kind), at);
		}
		return out;
	}

	private singleChannel(withSubtaskIndex: boolean): AnyChannelStateHandle {
		const r = this.r;
		const subtaskIndex = withSubtaskIndex ? r.i32In('a channel subtask index', 0, MAX_PARALLELISM - 1) : undefined;
		const a = r.i32In('a channel info index', 0, INT_MAX);
		const b = r.i32In('a channel info index', 0, INT_MAX);
		const offsets = this.offsets('number of channel state offsets', 'a channel state offset');
		const size = r.i64AtLeast('a channel state size', 0);
		this.sink.next('channel');
		const delegate = this.streamHandle();
		return subtaskIndex === undefined
			? {type: 'single', info: [a, b], offsets, size, delegate}
			: {type: 'single', subtaskIndex, info: [a, b], offsets, size, delegate};
	}

	private mergedChannel(): MergedChannelStateHandle {
		const r = this.r;
		const subtaskIndex = r.i32In('a channel subtask index', 0, MAX_PARALLELISM - 1);
		const totalSize = r.i64AtLeast('a merged channel state size', 0);
		this.sink.next('channel');
		const delegate = this.streamHandle();
		const blob = r.lengthPrefixed('the merged channel offsets');
		const start = r.offset - blob.length;
		const b = r.sub(start, r.offset);
		const n = b.count('number of merged channels', 20);
		const channels: MergedChannelStateHandle['channels'] = new Array(n);
		for (let i = 0; i < n; i++) {
			const x = b.i32In('a channel info index', 0, INT_MAX);
			const y = b.i32In('a channel info index', 0, INT_MAX);
			const size = b.i64AtLeast('a channel state size', 0);
			const count = b.count('number of channel state offsets', 8);
			const offsets: I64[] = new Array(count);
			for (let j = 0; j < count; j++) offsets[j] = b.i64AtLeast('a channel state offset', 0);
			channels[i] = {info: [x, y], size, offsets};
		}
		if (b.offset !== b.end) b.fail(`the end of the merged channel offsets at byte ${b.end}`, `${b.end - b.offset} unread byte(s)`);
		return {type: 'merged', subtaskIndex, totalSize, delegate, channels};
	}
}
