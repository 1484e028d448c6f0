/**
 * Text written as UTF-8 into chunks of about 1 MB. The JSON report of a million-file tree is over a
 * gigabyte: written piece by piece into buffers, its small strings die young instead of piling up
 * (as the parts of a long concatenation do) in the old generation until a full collection.
 */

/** Bytes of a chunk. */
const CHUNK_BYTES = 1 << 20;

/** UTF-8 bytes of text, in chunks that each end between two written texts (so each decodes alone). */
export class ByteChunks {
	private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
	private offset = 0;
	private ready: Uint8Array[] = [];

	/** Append `text` (UTF-8: at most 3 bytes per UTF-16 code unit). */
	write(text: string): void {
		if (this.offset + text.length * 3 > CHUNK_BYTES) {
			this.flush();
			if (text.length * 3 > CHUNK_BYTES) {
				this.ready.push(Buffer.from(text, 'utf8'));
				return;
			}
		}

		this.offset += this.buffer.write(text, this.offset, 'utf8');
	}

	/** The chunks filled so far (the one being filled stays), each once. */
	take(): Uint8Array[] {
		const ready = this.ready;
		this.ready = [];
		return ready;
	}

	/** Every chunk not taken yet, the last one included; the writer is empty after. */
	end(): Uint8Array[] {
		this.flush();
		return this.take();
	}

	private flush(): void {
		if (this.offset > 0) {
			this.ready.push(this.buffer.subarray(0, this.offset));
			this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
			this.offset = 0;
		}
	}
}
