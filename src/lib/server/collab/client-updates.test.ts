// A client's update is tried on a scratch copy of the document before the live one: what fails there
// (or piles up content waiting for dependencies that never come) never reaches the document everyone edits.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LiveDocument, UpdateRefused, updateTimeBudgetMs, type DocumentPeer } from './documents';

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
