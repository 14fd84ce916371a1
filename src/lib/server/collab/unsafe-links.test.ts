// A client can write any mark attributes into the Yjs document over the websocket, bypassing the editor's
// paste rules: the server rewrites citation and link marks whose URL is not http(s) or mailto.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { conformTexts, unsafeLinksIn } from './schema-conformance';
import { LiveDocument, type DocumentPeer } from './documents';
import { BODY_FRAGMENT } from '../content/document';

function paragraphWith(doc: Y.Doc, runs: [string, Record<string, unknown>?][]): Y.XmlText {
	const text = new Y.XmlText();
	const paragraph = new Y.XmlElement('paragraph');
	paragraph.insert(0, [text]);
	doc.getXmlFragment(BODY_FRAGMENT).push([paragraph]);
	let at = 0;
	for (const [s, attributes] of runs) {
		text.insert(at, s, attributes ?? {});
		at += s.length;
	}
	return text;
}

const citation = (url: string | null) => ({ sourceId: null, source: 'Varesh Daily', url, date: 'March 12', qualifier: null });

function updateOf(change: (doc: Y.Doc) => void): Uint8Array {
	const doc = new Y.Doc();
	let update: Uint8Array | null = null;
	doc.on('update', (u: Uint8Array) => (update = update ? Y.mergeUpdates([update, u]) : u));
	change(doc);
	return update!;
}

/** Every XmlText of a document's body. */
function bodyTexts(doc: Y.Doc): Y.XmlText[] {
	const texts: Y.XmlText[] = [];
	const visit = (node: unknown) => {
		if (node instanceof Y.XmlText) texts.push(node);
		else if (node instanceof Y.XmlElement || node instanceof Y.XmlFragment) node.toArray().forEach(visit);
	};
	visit(doc.getXmlFragment(BODY_FRAGMENT));
	return texts;
}

const peer = (sent: Uint8Array[]): DocumentPeer => ({ sendUpdate: (u) => sent.push(u), sendAwareness() {}, durableAdvanced() {} });
const citationOf = (doc: Y.Doc, paragraph = 0) =>
	((doc.getXmlFragment(BODY_FRAGMENT).get(paragraph) as Y.XmlElement).get(0) as Y.XmlText).toDelta()[0]?.attributes?.citation;

describe('unsafe links sent straight over the websocket', () => {
	it('are corrected in the same transaction as the client update: the live document never holds them, and the sender gets the correction', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const toSender: Uint8Array[] = [];
		const toOthers: Uint8Array[] = [];
		const sender = peer(toSender);
		live.peers.add(sender).add(peer(toOthers));
		const seenByLive: unknown[] = [];
		live.doc.on('update', () => seenByLive.push(citationOf(live.doc)));

		const bad = updateOf((doc) => paragraphWith(doc, [['See ', {}], ['Varesh Daily', { citation: citation('javascript:alert(1)') }]]));
		expect(unsafeLinksIn(live.applyClientUpdate(bad, sender).conformance)).toBe(1);
		expect(seenByLive).toEqual([undefined]); // one change, already corrected ("See " comes first)
		const delta = ((live.doc.getXmlFragment(BODY_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).toDelta();
		expect(delta).toEqual([{ insert: 'See ' }, { insert: 'Varesh Daily', attributes: { citation: citation(null) } }]);
		// the sender's copy, given its own update and what the server sent back, converges on the corrected one
		const senderCopy = new Y.Doc();
		Y.applyUpdate(senderCopy, bad);
		for (const u of toSender) Y.applyUpdate(senderCopy, u);
		expect(senderCopy.getXmlFragment(BODY_FRAGMENT).toString()).toBe(live.doc.getXmlFragment(BODY_FRAGMENT).toString());
		expect(toOthers).toHaveLength(1);
		expect(JSON.stringify(Y.decodeUpdate(toOthers[0]))).not.toContain('javascript');
		live.destroy();
	});

	it('are caught when they arrive before their dependency and are released by a later update', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const sender = peer([]);
		const client = new Y.Doc();
		const updates: Uint8Array[] = [];
		client.on('update', (u: Uint8Array) => updates.push(u));
		const text = paragraphWith(client, [['Varesh Daily', {}]]); // the paragraph and its text
		const dependency = Y.mergeUpdates(updates.splice(0));
		text.format(0, 4, { link: { href: 'javascript:steal()' } }); // the link, which needs them
		live.applyClientUpdate(updates[0], sender); // waits: its text is not there yet
		live.applyClientUpdate(dependency, sender); // releases it
		const delta = ((live.doc.getXmlFragment(BODY_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).toDelta();
		expect(delta).toEqual([{ insert: 'Varesh Daily' }]);
		live.destroy();
	});

	it('keeps the citation (source, date) without its link, removes a bad link, leaves good ones alone', () => {
		const doc = new Y.Doc();
		const text = paragraphWith(doc, [
			['Varesh Daily', { citation: citation('javascript:alert(1)') }],
			[' said; ', {}],
			['click', { link: { href: 'javascript:steal()' } }],
			[' and ', {}],
			['Basin Wire', { citation: { ...citation('https://basinwire.example/1'), source: 'Basin Wire' } }],
			[' or ', {}],
			['Varesh Daily again', { 'citation--a1b2c3d4': citation(' data:text/html,<script>') }],
			[' by ', {}],
			['mail', { link: { href: 'mailto:desk@example.org' } }]
		]);
		expect(unsafeLinksIn(conformTexts(bodyTexts(doc)))).toBe(3);
		expect(text.toDelta()).toEqual([
			{ insert: 'Varesh Daily', attributes: { citation: citation(null) } },
			{ insert: ' said; click and ' },
			{ insert: 'Basin Wire', attributes: { citation: { ...citation('https://basinwire.example/1'), source: 'Basin Wire' } } },
			{ insert: ' or ' },
			{ insert: 'Varesh Daily again', attributes: { 'citation--a1b2c3d4': citation(null) } },
			{ insert: ' by ' },
			{ insert: 'mail', attributes: { link: { href: 'mailto:desk@example.org' } } }
		]);
		expect(conformTexts(bodyTexts(doc)).size).toBe(0);
	});
});
