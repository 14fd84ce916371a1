// The durable ack must advance with every commit, not only a client's first one: an incremental update
// (whose structs start past clock 0) is what every commit after the first one stores.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LiveDocument, clockRanges } from './documents';

const acked = (live: LiveDocument) => Y.decodeStateVector(live.durableStateVector);

describe('durable ack state vector', () => {
	it('advances over incremental updates, contiguously', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const client = new Y.Doc();
		const text = client.getText('t');
		const updates: Uint8Array[] = [];
		client.on('update', (u: Uint8Array) => updates.push(u));
		text.insert(0, 'abc'); // clocks 0..2
		text.insert(3, 'de'); // clocks 3..4
		text.insert(5, 'f'); // clock 5
		expect(clockRanges(updates[1]).get(client.clientID)).toEqual([[3, 5]]);
		// Y.encodeStateVectorFromUpdate reports nothing for an update not starting at clock 0: the old bug
		expect(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(updates[1])).get(client.clientID)).toBeUndefined();

		live.markStored(updates[0], 1, 1);
		expect(acked(live).get(client.clientID)).toBe(3);
		// a later range committed first (not contiguous yet) does not advance the ack…
		live.markStored(updates[2], 1, 3);
		expect(acked(live).get(client.clientID)).toBe(3);
		// …until the gap is committed too
		live.markStored(updates[1], 1, 2);
		expect(acked(live).get(client.clientID)).toBe(6);
		live.destroy();
	});
});
