// A client can write any mark attributes into the Yjs document over the websocket, bypassing the editor's
// paste rules: the server rewrites citation and link marks whose URL is not http(s) or mailto.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { neutraliseUnsafeLinks, setsUnsafeLink } from './unsafe-links';
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

const citation = (url: string | null) => ({ sourceId: null, source: 'Dawn', url, date: 'August 26', qualifier: null });

function updateOf(change: (doc: Y.Doc) => void): Uint8Array {
	const doc = new Y.Doc();
	let update: Uint8Array | null = null;
	doc.on('update', (u: Uint8Array) => (update = update ? Y.mergeUpdates([update, u]) : u));
	change(doc);
	return update!;
}

describe('unsafe links sent straight over the websocket', () => {
	it('spots a citation whose URL is javascript: or data:, also under an overlapping-mark key', () => {
		const bad = updateOf((doc) => paragraphWith(doc, [['See ', {}], ['Dawn', { citation: citation('javascript:alert(1)') }]]));
		const overlapping = updateOf((doc) => paragraphWith(doc, [['Dawn', { 'citation--x1y2': citation(' data:text/html,<script>') }]]));
		const link = updateOf((doc) => paragraphWith(doc, [['here', { link: { href: 'JavaScript:alert(1)' } }]]));
		const good = updateOf((doc) => paragraphWith(doc, [['Dawn', { citation: citation('https://www.dawn.com/news/1') }], [' and ', {}], ['mail', { link: { href: 'mailto:desk@example.org' } }]]));
		const noUrl = updateOf((doc) => paragraphWith(doc, [['Dawn', { citation: citation(null) }]]));
		for (const u of [bad, overlapping, link]) expect(setsUnsafeLink(Y.decodeUpdate(u).structs)).toBe(true);
		for (const u of [good, noUrl]) expect(setsUnsafeLink(Y.decodeUpdate(u).structs)).toBe(false);
	});

	it('keeps the citation (source, date) without its link, removes a bad link, leaves good ones alone', () => {
		const doc = new Y.Doc();
		const text = paragraphWith(doc, [
			['Dawn', { citation: citation('javascript:alert(1)') }],
			[' said; ', {}],
			['click', { link: { href: 'javascript:steal()' } }],
			[' and ', {}],
			['TASS', { citation: { ...citation('https://tass.com/1'), source: 'TASS' } }]
		]);
		const seen: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array, origin: unknown) => origin === 'server' && seen.push(u));
		expect(neutraliseUnsafeLinks(doc)).toBe(2);
		expect(text.toDelta()).toEqual([
			{ insert: 'Dawn', attributes: { citation: citation(null) } },
			{ insert: ' said; click and ' },
			{ insert: 'TASS', attributes: { citation: { ...citation('https://tass.com/1'), source: 'TASS' } } }
		]);
		expect(seen).toHaveLength(1); // one transaction, which every client receives
		expect(neutraliseUnsafeLinks(doc)).toBe(0);
	});
});
