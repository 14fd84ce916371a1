// A client's update is tried on a scratch copy of the document before the live one: what fails there
// (or piles up content waiting for dependencies that never come) never reaches the document everyone edits.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { LiveDocument, UpdateRefused, updateTimeBudgetMs, type DocumentPeer } from './documents';
import { CollabConnection } from './connection';
import { MESSAGE_DURABLE_ACK } from '../../domain/collab';
import { silentLogger } from '../../../../tests/support/logs';

const peer: DocumentPeer = { sendUpdate() {}, sendAwareness() {}, durableAdvanced() {} };

describe('client updates go through a scratch copy first', () => {
	it('applies a good update to the live document and counts it as a local change', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const client = new Y.Doc();
		client.getText('t').insert(0, 'hello');
		live.applyClientUpdate(Y.encodeStateAsUpdate(client), peer);
		expect(live.doc.getText('t').toString()).toBe('hello');
		expect(live.generation).toBe(1);
		// the scratch copy follows the live document: a second edit on top applies cleanly
		client.getText('t').insert(5, ' world');
		live.applyClientUpdate(Y.encodeStateAsUpdate(client, Y.encodeStateVector(live.doc)), peer);
		expect(live.doc.getText('t').toString()).toBe('hello world');
		live.destroy();
	});

	it('refuses an update that would leave megabytes waiting for a missing dependency, and leaves the document as it was', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const other = new Y.Doc();
		other.getText('t').insert(0, 'a'); // never sent to the server
		const hostile = new Y.Doc();
		Y.applyUpdate(hostile, Y.encodeStateAsUpdate(other));
		const before = Y.encodeStateVector(hostile);
		hostile.getText('t').insert(1, 'x'.repeat(5 * 1024 * 1024)); // depends on `other`'s item
		const update = Y.encodeStateAsUpdate(hostile, before);
		expect(() => live.applyClientUpdate(update, peer)).toThrow(UpdateRefused);
		expect(live.doc.store.pendingStructs).toBeNull();
		expect(live.generation).toBe(0);
		// the next (good) update is tried on a fresh scratch copy and applied
		const good = new Y.Doc();
		good.getText('t').insert(0, 'fine');
		live.applyClientUpdate(Y.encodeStateAsUpdate(good), peer);
		expect(live.doc.getText('t').toString()).toBe('fine');
		live.destroy();
	});

	it('gives bigger updates a bigger time budget, capped', () => {
		expect(updateTimeBudgetMs(100)).toBeLessThan(1001);
		expect(updateTimeBudgetMs(1024 * 1024)).toBeGreaterThan(3000);
		expect(updateTimeBudgetMs(16 * 1024 * 1024)).toBe(10_000);
	});
});

describe('caret colours in one document', () => {
	it('gives a second person whose hashed colour is taken the first free palette colour, and frees it when they leave', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const ada = live.join({ id: 'ada', color: '#1d4ed8' });
		const adaSecondTab = live.join({ id: 'ada', color: '#1d4ed8' });
		const bob = live.join({ id: 'bob', color: '#1d4ed8' }); // same hash bucket as Ada
		expect(ada.colour).toBe('#1d4ed8');
		expect(adaSecondTab.colour).toBe('#1d4ed8'); // one person, one colour
		expect(bob.colour).not.toBe('#1d4ed8');
		bob.leave();
		bob.leave(); // idempotent
		ada.leave();
		const carl = live.join({ id: 'carl', color: '#1d4ed8' });
		expect(carl.colour).not.toBe('#1d4ed8'); // Ada's second tab is still here
		adaSecondTab.leave();
		const dan = live.join({ id: 'dan', color: '#1d4ed8' });
		expect(dan.colour).not.toBe(carl.colour);
		live.destroy();
	});
});

describe('settled frames in the durable ack (message 8)', () => {
	// A socket double: records what the connection sends, lets the test deliver frames.
	function fakeSocket() {
		const handlers = new Map<string, (...args: unknown[]) => void>();
		const sent: Uint8Array[] = [];
		return {
			sent,
			deliver: (frame: Uint8Array) => handlers.get('message')!(Buffer.from(frame), true),
			socket: {
				binaryType: 'nodebuffer',
				readyState: 1,
				OPEN: 1,
				on: (event: string, fn: (...args: unknown[]) => void) => handlers.set(event, fn),
				send: (message: Uint8Array) => sent.push(message),
				close: () => {},
				terminate: () => {}
			}
		};
	}
	const settledIn = (sent: Uint8Array[]): number[] =>
		sent
			.map((m) => decoding.createDecoder(m))
			.filter((d) => decoding.readVarUint(d) === MESSAGE_DURABLE_ACK)
			.map((d) => (decoding.readVarUint8Array(d), decoding.readVarUint(d)));
	const updateFrame = (update: Uint8Array) => {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		encoding.writeVarUint(encoder, 2);
		encoding.writeVarUint8Array(encoder, update);
		return encoding.toUint8Array(encoder);
	};
	const actor = { id: 'u', email: 'u@example.org', name: 'U', role: 'editor' as const, color: '#1d4ed8', via: 'token' as const };

	it('does not settle a frame that brings nothing new while what the server holds is not stored yet', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const page = new Y.Doc();
		page.getText('t').insert(0, 'typed before a reload');
		const edit = Y.encodeStateAsUpdate(page);
		// the first page's edit reached the server, whose commit has not succeeded yet
		const first = fakeSocket();
		const firstConn = new CollabConnection(first.socket as never, live, actor, 'edit', silentLogger);
		firstConn.start();
		first.deliver(updateFrame(edit));
		expect(live.generation).toBe(1);
		expect(live.durableGeneration).toBe(0);

		// the reloaded page re-sends the same content (from IndexedDB): nothing new for the server
		const second = fakeSocket();
		const secondConn = new CollabConnection(second.socket as never, live, actor, 'edit', silentLogger);
		secondConn.start();
		second.deliver(updateFrame(edit));
		expect(live.generation).toBe(1);
		expect(Math.max(...settledIn(second.sent))).toBe(0); // frame 1 not settled: it is not stored

		// the commit lands: both frames are settled
		live.markStored(edit, 1, live.generation);
		expect(Math.max(...settledIn(second.sent))).toBe(1);
		expect(Math.max(...settledIn(first.sent))).toBe(1);
		// a later no-op frame, with everything stored, is settled at once
		second.deliver(updateFrame(edit));
		expect(Math.max(...settledIn(second.sent))).toBe(2);
		live.destroy();
	});

	it('does not settle a frame whose structs wait for a missing dependency until they are in the document and stored', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const elsewhere = new Y.Doc();
		elsewhere.getText('t').insert(0, 'typed elsewhere');
		const dependency = Y.encodeStateAsUpdate(elsewhere); // not on the server yet
		const page = new Y.Doc();
		Y.applyUpdate(page, dependency);
		const before = Y.encodeStateVector(page);
		page.getText('t').insert(15, ', then here');
		const edit = Y.encodeStateAsUpdate(page, before); // refers to the missing text

		const socket = fakeSocket();
		const conn = new CollabConnection(socket.socket as never, live, actor, 'edit', silentLogger);
		conn.start();
		socket.deliver(updateFrame(edit)); // frame 1: waits in the document for its dependency
		expect(live.doc.store.pendingStructs).not.toBeNull();
		live.markStored(new Uint8Array([0, 0]), 0, live.generation); // a commit of whatever else: not enough
		expect(Math.max(...settledIn(socket.sent))).toBe(0);

		socket.deliver(updateFrame(dependency)); // frame 2: the dependency; both integrate
		expect(live.doc.getText('t').toString()).toBe('typed elsewhere, then here');
		expect(Math.max(...settledIn(socket.sent))).toBe(0);
		live.markStored(Y.encodeStateAsUpdate(live.doc), 1, live.generation);
		expect(Math.max(...settledIn(socket.sent))).toBe(2);
		live.destroy();
	});
});
