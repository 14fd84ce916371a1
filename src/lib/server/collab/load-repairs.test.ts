import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BODY_FRAGMENT, jsonFromYDoc } from '../content/document';
import { upgradeLegacyEndnotesOnLoad } from './load-repairs';
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
