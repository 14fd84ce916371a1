import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { AwarenessStateTooLarge, decodeAwarenessUpdate, encodeAwarenessUpdate, stampIdentity, type AwarenessEntry } from './awareness-stamp';
import { MAX_AWARENESS_STATE_BYTES } from '../../domain/collab';

const real = { id: 'u1', name: 'Alice Real', color: '#123456' };

describe('awareness stamping', () => {
	it('decodes what y-protocols encodes, and encodes back byte for byte', () => {
		const doc = new Y.Doc();
		const awareness = new awarenessProtocol.Awareness(doc);
		awareness.setLocalState({ user: { name: 'Mallory' }, cursor: { anchor: 1 } });
		const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
		const entries = decodeAwarenessUpdate(update);
		expect(entries).toEqual([{ clientID: doc.clientID, clock: awareness.meta.get(doc.clientID)!.clock, state: { user: { name: 'Mallory' }, cursor: { anchor: 1 } } }]);
		expect(encodeAwarenessUpdate(entries)).toEqual(update);
		awareness.destroy();
		doc.destroy();
	});

	it('replaces a claimed identity with the real one and keeps the rest of the state', () => {
		const entries: AwarenessEntry[] = [{ clientID: 7, clock: 3, state: { user: { id: 'someone', name: 'Mallory', color: 'red' }, cursor: { head: 4 } } }];
		expect(stampIdentity(entries, real)).toEqual([{ clientID: 7, clock: 3, state: { user: real, cursor: { head: 4 } } }]);
	});

	it('adds the identity to a state that claims none, and leaves removals (null states) alone', () => {
		const entries: AwarenessEntry[] = [
			{ clientID: 1, clock: 1, state: {} },
			{ clientID: 2, clock: 5, state: null }
		];
		expect(stampIdentity(entries, real)).toEqual([
			{ clientID: 1, clock: 1, state: { user: real } },
			{ clientID: 2, clock: 5, state: null }
		]);
	});

	it('drops extra fields a client adds to the user object', () => {
		const [stamped] = stampIdentity([{ clientID: 1, clock: 1, state: { user: { name: 'x', role: 'editor' } } }], real);
		expect(stamped.state!.user).toEqual(real);
	});

	it('refuses malformed updates: truncated, trailing bytes, non-object states, bad JSON', () => {
		const good = encodeAwarenessUpdate([{ clientID: 1, clock: 1, state: { a: 1 } }]);
		expect(() => decodeAwarenessUpdate(good.slice(0, good.length - 2))).toThrow();
		expect(() => decodeAwarenessUpdate(new Uint8Array([...good, 0]))).toThrow(/trailing/);
		expect(() => decodeAwarenessUpdate(encodeRaw(1, 1, '[1,2]'))).toThrow(/object or null/);
		expect(() => decodeAwarenessUpdate(encodeRaw(1, 1, '"Mallory"'))).toThrow(/object or null/);
		expect(() => decodeAwarenessUpdate(encodeRaw(1, 1, '{not json'))).toThrow();
		expect(() => decodeAwarenessUpdate(new Uint8Array([]))).toThrow();
	});

	it('refuses an update announcing an absurd number of entries', () => {
		// varUint 10001 = 0x91 0x4e: refused before any entry is read
		expect(() => decodeAwarenessUpdate(new Uint8Array([0x91, 0x4e]))).toThrow(/too many/);
		expect(() => decodeAwarenessUpdate(new Uint8Array([0xff, 0xff, 0xff, 0x7f]))).toThrow(/too many/);
	});
});

function encodeRaw(clientID: number, clock: number, json: string): Uint8Array {
	const bytes = new TextEncoder().encode(json);
	return new Uint8Array([1, clientID, clock, bytes.length, ...bytes]);
}

describe('awareness state size', () => {
	it('refuses a state over MAX_AWARENESS_STATE_BYTES (UTF-8 bytes of its JSON) before parsing it, and accepts one at the cap', () => {
		const stateOf = (bytes: number) => {
			const overhead = JSON.stringify({ pad: '' }).length;
			return { pad: 'é'.repeat(Math.floor((bytes - overhead) / 2)) + 'x'.repeat((bytes - overhead) % 2) };
		};
		expect(new TextEncoder().encode(JSON.stringify(stateOf(MAX_AWARENESS_STATE_BYTES))).length).toBe(MAX_AWARENESS_STATE_BYTES);
		const at = encodeAwarenessUpdate([{ clientID: 1, clock: 1, state: stateOf(MAX_AWARENESS_STATE_BYTES) }]);
		expect(decodeAwarenessUpdate(at)[0].state).toEqual(stateOf(MAX_AWARENESS_STATE_BYTES));
		const over = encodeAwarenessUpdate([{ clientID: 1, clock: 1, state: stateOf(MAX_AWARENESS_STATE_BYTES + 1) }]);
		expect(() => decodeAwarenessUpdate(over)).toThrow(AwarenessStateTooLarge);
	});
});
