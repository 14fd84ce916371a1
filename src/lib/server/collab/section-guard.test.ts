import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { BODY_FRAGMENT, jsonFromYDoc, yjsStateFromJSON } from '../content/document';
import { ScratchCopy, UpdateRefused } from './scratch-copy';

const p = (text: string): JSONContent => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const h = (level: number, id: string, text: string): JSONContent => ({ type: 'heading', attrs: { level, id }, content: [{ type: 'text', text }] });

/** Basin Watch article: an opening paragraph, then the ferry (sec-ferry, with a subsection) and the dam (sec-dam). */
const ARTICLE: JSONContent = {
	type: 'doc',
	content: [p('Opening.'), h(2, 'sec-ferry', 'The ferry'), p('Ferry one.'), h(3, 'sec-costs', 'Costs'), p('Costs one.'), h(2, 'sec-dam', 'The dam'), p('Dam one.')]
};

/** A server (scratch copy of the stored state) and a client holding the same state. */
function setup() {
	const stored = yjsStateFromJSON(ARTICLE);
	const server = new Y.Doc();
	Y.applyUpdate(server, stored);
	const scratch = new ScratchCopy(() => Y.encodeStateAsUpdate(server));
	const client = new Y.Doc();
	Y.applyUpdate(client, stored);
	const body = client.getXmlFragment(BODY_FRAGMENT);
	const block = (i: number) => body.get(i) as Y.XmlElement;
	const textOf = (i: number) => block(i).get(0) as Y.XmlText;
	/** Make a change on the client and send it to the server as `sections`; the error's kind, or 'accepted'. */
	const send = (change: () => void, sections: string[] | null = ['sec-ferry']): string => {
		const sv = Y.encodeStateVector(client);
		change();
		const update = Y.encodeStateAsUpdate(client, sv);
		try {
			scratch.tryUpdate(update, sections);
			Y.applyUpdate(server, update);
			return 'accepted';
		} catch (err) {
			if (err instanceof UpdateRefused) return err.kind;
			throw err;
		}
	};
	const serverTexts = () => (jsonFromYDoc(server).content ?? []).map((n) => (n.content ?? []).map((t) => t.text).join(''));
	return { client, body, block, textOf, send, serverTexts, scratch };
}

describe('section-only updates on the scratch copy', () => {
	it('accepts typing, deleting, formatting and new blocks inside the section (the subsection included)', () => {
		const s = setup();
		expect(s.send(() => s.textOf(2).insert(6, 'NEW '))).toBe('accepted');
		expect(s.send(() => s.textOf(2).delete(0, 2))).toBe('accepted');
		expect(s.send(() => s.textOf(4).format(0, 5, { bold: true }))).toBe('accepted');
		expect(s.send(() => s.body.insert(5, [paragraph('Last of the ferry.')]))).toBe('accepted'); // at the section's end
		expect(s.send(() => s.body.insert(2, [paragraph('First of the ferry.')]))).toBe('accepted'); // right after its heading
		expect(s.serverTexts()).toEqual(['Opening.', 'The ferry', 'First of the ferry.', 'rry NEW one.', 'Costs', 'Costs one.', 'Last of the ferry.', 'The dam', 'Dam one.']);
	});

	it('refuses, as a whole, an insertion, a deletion, a format or an attribute change outside the section', () => {
		const s = setup();
		expect(s.send(() => s.textOf(6).insert(0, 'X'))).toBe('outside_sections');
		expect(s.send(() => s.textOf(0).delete(0, 1))).toBe('outside_sections');
		expect(s.send(() => s.textOf(6).format(0, 3, { italic: true }))).toBe('outside_sections');
		expect(s.send(() => s.block(6).setAttribute('textAlign', 'right'))).toBe('outside_sections');
		// one keystroke inside with one outside: nothing of it
		expect(s.send(() => s.client.transact(() => (s.textOf(2).insert(0, 'in '), s.textOf(6).insert(0, 'out '))))).toBe('outside_sections');
		expect(s.serverTexts()).toEqual(['Opening.', 'The ferry', 'Ferry one.', 'Costs', 'Costs one.', 'The dam', 'Dam one.']);
	});

	it('refuses changes of the section’s heading, a block before the first heading or after the section, and deleting a block outside', () => {
		let s = setup();
		expect(s.send(() => s.textOf(1).insert(0, 'Re: '))).toBe('outside_sections');
		s = setup();
		expect(s.send(() => s.block(1).setAttribute('id', 'sec-other'))).toBe('outside_sections');
		s = setup();
		expect(s.send(() => s.body.delete(1, 1))).toBe('outside_sections');
		s = setup();
		expect(s.send(() => s.body.insert(0, [paragraph('Before all.')]))).toBe('outside_sections');
		s = setup();
		expect(s.send(() => s.body.insert(1, [paragraph('Before the heading.')]))).toBe('outside_sections');
		s = setup();
		expect(s.send(() => s.body.insert(6, [paragraph('Inside the dam.')]))).toBe('outside_sections');
		s = setup();
		expect(s.send(() => s.body.delete(6, 1))).toBe('outside_sections');
		s = setup();
		expect(s.send(() => s.client.getMap('other').set('x', 1))).toBe('outside_sections');
	});

	it('refuses a heading that would end the section or copy another’s id; accepts a subheading of its own', () => {
		let s = setup();
		expect(s.send(() => s.body.insert(3, [heading(2, 'sec-new', 'Same level')]))).toBe('outside_sections');
		s = setup();
		expect(s.send(() => s.body.insert(3, [heading(3, 'sec-dam', 'Copied id')]))).toBe('outside_sections');
		s = setup();
		expect(s.send(() => s.block(3).setAttribute('level', 2 as unknown as string))).toBe('outside_sections'); // the subsection's heading raised
		s = setup();
		expect(s.send(() => s.body.insert(3, [heading(3, 'sec-fresh', 'A new subsection')]))).toBe('accepted');
	});

	it('a section whose heading is gone (detached) allows nothing; an unrestricted connection is not checked', () => {
		const s = setup();
		expect(s.send(() => s.textOf(2).insert(0, 'X'), ['sec-deleted'])).toBe('outside_sections');
		expect(s.send(() => s.textOf(6).insert(0, 'Editor: '), null)).toBe('accepted');
		expect(s.send(() => s.body.insert(0, [paragraph('Editor’s opening.')]), null)).toBe('accepted');
	});

	it('refuses an update that waits for content the server does not have (it would be integrated later, unchecked)', () => {
		const s = setup();
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(s.client));
		const sv = Y.encodeStateVector(other);
		((other.getXmlFragment(BODY_FRAGMENT).get(2) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'A');
		const first = Y.encodeStateAsUpdate(other, sv);
		const sv2 = Y.encodeStateVector(other);
		((other.getXmlFragment(BODY_FRAGMENT).get(2) as Y.XmlElement).get(0) as Y.XmlText).insert(1, 'B');
		const second = Y.encodeStateAsUpdate(other, sv2); // depends on `first`, never sent
		expect(() => s.scratch.tryUpdate(second, ['sec-ferry'])).toThrow(/does not have/);
		// with what it depends on first, both are accepted
		expect(() => s.scratch.tryUpdate(first, ['sec-ferry'])).not.toThrow();
		expect(() => s.scratch.tryUpdate(second, ['sec-ferry'])).not.toThrow();
	});
});

function paragraph(text: string): Y.XmlElement {
	const el = new Y.XmlElement('paragraph');
	el.insert(0, [new Y.XmlText(text)]);
	return el;
}

function heading(level: number, id: string, text: string): Y.XmlElement {
	const el = new Y.XmlElement('heading');
	el.setAttribute('level', level as unknown as string);
	el.setAttribute('id', id);
	el.insert(0, [new Y.XmlText(text)]);
	return el;
}
