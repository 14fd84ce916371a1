import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/**
 * Per client, the clock up to which its updates are committed to the database (by any process). The
 * frontier of a client moves only over contiguous committed ranges: an ack means "all up to here".
 */
export class DurableFrontier {
	private durable: Map<number, number>;
	/** Committed clock ranges not (yet) contiguous with the durable frontier of their client. */
	private beyond = new Map<number, [number, number][]>();

	constructor(initial: Map<number, number>) {
		this.durable = initial;
	}

	/** The durable clock of `client` (0: nothing of it committed). */
	get(client: number): number {
		return this.durable.get(client) ?? 0;
	}

	/** Encoded state vector of everything committed: the payload of the durable ack. */
	encode(): Uint8Array {
		return encodeStateVectorMap(this.durable);
	}

	/** Record the committed range [start, end) of `client`'s structs. */
	advance(client: number, start: number, end: number): void {
		const frontier = this.durable.get(client) ?? 0;
		if (end <= frontier) return;
		const ranges = this.beyond.get(client) ?? [];
		ranges.push([start, end]);
		ranges.sort((a, b) => a[0] - b[0]);
		let f = frontier;
		const keep: [number, number][] = [];
		for (const [s, e] of ranges) {
			if (s <= f) f = Math.max(f, e);
			else keep.push([s, e]);
		}
		if (f > frontier) this.durable.set(client, f);
		if (keep.length) this.beyond.set(client, keep.filter(([, e]) => e > f));
		else this.beyond.delete(client);
	}
}

/** Per client, clock ranges [start, end). */
export type ClockRanges = Map<number, [number, number][]>;

/** Per client, the clock ranges [start, end) of the structs in an update (deletions and skips aside). */
export function clockRanges(update: Uint8Array): ClockRanges {
	const ranges: ClockRanges = new Map();
	for (const struct of Y.decodeUpdate(update).structs) {
		if (struct instanceof Y.Skip) continue;
		const start = struct.id.clock;
		const end = start + struct.length;
		const list = ranges.get(struct.id.client) ?? [];
		const last = list[list.length - 1];
		if (last && last[1] === start) last[1] = end;
		else list.push([start, end]);
		ranges.set(struct.id.client, list);
	}
	return ranges;
}

function encodeStateVectorMap(sv: Map<number, number>): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, sv.size);
	for (const [client, clock] of sv) {
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, clock);
	}
	return encoding.toUint8Array(encoder);
}
