// A large document answers a new client's sync step 1 with the bytes it was loaded from (no re-encoding),
// only while those bytes are exactly its content and hold no deleted content.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LiveDocument } from './documents';

const EMPTY_SV = Y.encodeStateVector(new Y.Doc());

function storedDoc(paragraphs: number): { doc: Y.Doc; stored: Uint8Array } {
	const doc = new Y.Doc();
	const rows: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => rows.push(u));
	const body = doc.getXmlFragment('body');
	for (let i = 0; i < paragraphs; i += 10) {
		doc.transact(() => {
			for (let j = i; j < i + 10; j++) {
				const p = new Y.XmlElement('paragraph');
				body.insert(body.length, [p]);
				const t = new Y.XmlText();
				p.insert(0, [t]);
				t.insert(0, `${j} `.padEnd(500, 'lorem ipsum '));
			}
		});
	}
	return { doc, stored: Y.mergeUpdates(rows) };
}

const content = (d: Y.Doc) => d.getXmlFragment('body').toString();
const clientFrom = (update: Uint8Array) => {
	const d = new Y.Doc();
	Y.applyUpdate(d, update);
	return d;
};

describe('sync step 2 from the stored bytes', () => {
	it('sends a new client the stored bytes of an unchanged large document, and encodes once it changes', () => {
		const { doc, stored } = storedDoc(400); // ~200 kB
		const live = new LiveDocument('p', { update: stored, updateRows: 0 }, () => {});
		const first = live.updateFor(EMPTY_SV);
		expect(first).toBe(stored);
		expect(content(clientFrom(first))).toBe(content(doc));
		// a client that has something gets only what it lacks, encoded from the live document
		const partial = live.updateFor(Y.encodeStateVector(doc));
		expect(partial).not.toBe(stored);
		expect(partial.length).toBeLessThan(100);
		// after a change, the stored bytes are stale: the new client must get the change too
		live.doc.getXmlFragment('body').insert(0, [new Y.XmlElement('heading')]);
		const after = live.updateFor(EMPTY_SV);
		expect(after).not.toBe(stored);
		expect(content(clientFrom(after))).toBe(content(live.doc));
		live.destroy();
	});

	it('sends the compacted state of a much-edited document as it is: its deletions are lengths only', () => {
		const { doc } = storedDoc(400);
		// Deleted far more than is left (a heuristic on the deleted length would refuse it), then compacted.
		doc.transact(() => doc.getXmlFragment('body').delete(0, 100));
		const body = doc.getXmlFragment('body');
		for (let i = 0; i < body.length; i++) ((body.get(i) as Y.XmlElement).get(0) as Y.XmlText).delete(10, 200);
		const compacted = Y.encodeStateAsUpdate(doc); // as compactState writes it: a garbage-collected document's state
		const live = new LiveDocument('c', { update: compacted, updateRows: 0 }, () => {});
		const sent = live.updateFor(EMPTY_SV);
		expect(sent).toBe(compacted);
		expect(content(clientFrom(sent))).toBe(content(doc));
		live.destroy();
	});

	it('encodes a state row that still holds the text of deleted content', () => {
		const { doc } = storedDoc(400);
		const rows: Uint8Array[] = [Y.encodeStateAsUpdate(doc)];
		doc.on('update', (u: Uint8Array) => rows.push(u));
		doc.getXmlFragment('body').delete(0, 10); // 5 kB of ~200 kB deleted: a little, but its text must not be sent
		const stateRow = Y.mergeUpdates(rows); // as compaction wrote states before it dropped deleted text
		const live = new LiveDocument('o', { update: stateRow, updateRows: 0 }, () => {});
		const sent = live.updateFor(EMPTY_SV);
		expect(sent).not.toBe(stateRow);
		expect(sent.length).toBeLessThan(stateRow.length - 4000); // the deleted text is not in it
		expect(content(clientFrom(sent))).toBe(content(doc));
		live.destroy();
	});

	it('encodes when the stored bytes are small or hold much deleted text', () => {
		const small = storedDoc(20);
		const liveSmall = new LiveDocument('s', { update: small.stored, updateRows: 0 }, () => {});
		expect(liveSmall.updateFor(EMPTY_SV)).not.toBe(small.stored);
		liveSmall.destroy();

		const { doc } = storedDoc(400);
		const rows: Uint8Array[] = [Y.encodeStateAsUpdate(doc)];
		doc.on('update', (u: Uint8Array) => rows.push(u));
		doc.getXmlFragment('body').delete(0, 300);
		const stored = Y.mergeUpdates(rows);
		const live = new LiveDocument('d', { update: stored, updateRows: 1 }, () => {});
		const sent = live.updateFor(EMPTY_SV);
		expect(sent).not.toBe(stored);
		expect(sent.length).toBeLessThan(stored.length / 2);
		expect(content(clientFrom(sent))).toBe(content(doc));
		live.destroy();
	});
});
