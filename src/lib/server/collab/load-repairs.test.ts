import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BODY_FRAGMENT, jsonFromYDoc } from '../content/document';
import { giveHeadingsIdsOnLoad, upgradeLegacyEndnotesOnLoad } from './load-repairs';
import { yjsStateFromJSON } from '../content/document';
import { legacyEndnoteState } from '../../../../tests/support/legacy-endnotes';

function legacyState(): Uint8Array {
	return legacyEndnoteState(['Claim. ', { id: 'n-1', note: 'Varesh Daily, March 12.' }, ' More. ', { id: 'n-2', note: 'Radio Kessland, March 14.' }]);
}

function loaded(state: Uint8Array): Y.Doc {
	const d = new Y.Doc();
	Y.applyUpdate(d, state);
	return d;
}

const notesOf = (d: Y.Doc) =>
	(jsonFromYDoc(d).content![0].content ?? []).filter((n) => n.type === 'endnote').map((n) => (n.content ?? []).map((t) => t.text).join(''));

describe('converting schema-3 endnotes when a piece loads', () => {
	it('two processes converting the same stored piece at once write the same items: every note’s text once after they exchange updates', () => {
		const stored = legacyState();
		const one = loaded(stored);
		const two = loaded(stored);
		expect(upgradeLegacyEndnotesOnLoad(one)).toBe(true);
		expect(upgradeLegacyEndnotesOnLoad(two)).toBe(true);
		// each relays its conversion to the other (as through Redis)
		Y.applyUpdate(one, Y.encodeStateAsUpdate(two));
		Y.applyUpdate(two, Y.encodeStateAsUpdate(one));
		for (const d of [one, two]) expect(notesOf(d)).toEqual(['Varesh Daily, March 12.', 'Radio Kessland, March 14.']);
		expect(Y.encodeStateVector(one)).toEqual(Y.encodeStateVector(two));
	});

	it('converts once: a converted piece is left alone, and a piece without old endnotes costs no copy', () => {
		const d = loaded(legacyState());
		expect(upgradeLegacyEndnotesOnLoad(d)).toBe(true);
		const after = Y.encodeStateVector(d);
		expect(upgradeLegacyEndnotesOnLoad(d)).toBe(false);
		expect(Y.encodeStateVector(d)).toEqual(after);
		expect(notesOf(d)).toEqual(['Varesh Daily, March 12.', 'Radio Kessland, March 14.']);
	});

	it('two processes whose states differ convert with different client ids (never two different items under one id)', () => {
		const [storedOne, storedTwo] = [legacyState(), legacyState()]; // two creations: other writers, other states
		const [one, two] = [loaded(storedOne), loaded(storedTwo)];
		upgradeLegacyEndnotesOnLoad(one);
		upgradeLegacyEndnotesOnLoad(two);
		const writers = (state: Uint8Array) => [...Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state)).keys()];
		const converter = (d: Y.Doc, stored: Uint8Array) => writers(Y.encodeStateAsUpdate(d)).filter((c) => !writers(stored).includes(c));
		expect(converter(one, storedOne)).toHaveLength(1);
		expect(converter(two, storedTwo)).toHaveLength(1);
		expect(converter(one, storedOne)).not.toEqual(converter(two, storedTwo));
	});
});

describe('giving headings ids when a piece loads', () => {
	const article = () =>
		yjsStateFromJSON({
			type: 'doc',
			content: [
				{ type: 'paragraph', content: [{ type: 'text', text: 'Basin Watch opens.' }] },
				{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'The ferry' }] },
				{ type: 'heading', attrs: { level: 2, id: 'kept-id' }, content: [{ type: 'text', text: 'The dam' }] },
				{ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Costs' }] }
			]
		});
	const headingIds = (d: Y.Doc) => (jsonFromYDoc(d).content ?? []).filter((n) => n.type === 'heading').map((n) => n.attrs?.id as string | undefined);

	it('gives every heading without an id one, keeps the ids headings have, and leaves a piece with ids alone', () => {
		const d = loaded(article());
		expect(giveHeadingsIdsOnLoad(d)).toBe(2);
		const ids = headingIds(d);
		expect(ids[1]).toBe('kept-id');
		expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(new Set(ids).size).toBe(3);
		const after = Y.encodeStateVector(d);
		expect(giveHeadingsIdsOnLoad(d)).toBe(0);
		expect(Y.encodeStateVector(d)).toEqual(after);
	});

	it('two processes giving ids to the same stored piece write the same ids (they merge, none wins over another)', () => {
		const stored = article();
		const [one, two] = [loaded(stored), loaded(stored)];
		giveHeadingsIdsOnLoad(one);
		giveHeadingsIdsOnLoad(two);
		expect(headingIds(one)).toEqual(headingIds(two));
		Y.applyUpdate(one, Y.encodeStateAsUpdate(two));
		expect(Y.encodeStateVector(one)).toEqual(Y.encodeStateVector(two));
		expect(headingIds(one)).toEqual(headingIds(two));
	});
});
