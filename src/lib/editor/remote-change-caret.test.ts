// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import type { Editor, JSONContent } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { useCollaborativeEditors } from '../../../tests/support/collaborative-editors';
import { yjsStateFromJSON } from '../server/content/document';
import { interviewDocument } from '../../../tests/support/interview-document';

// Several people typing at once in one block: each caret stays after its owner's own characters however
// the others' edits arrive, and every person's text comes out whole and in the order of the carets. The
// bug this guards (see remote-change-caret.ts): in a Q&A turn (a block with attributes) a remote edit
// before the caret pushed the caret back one character per remote keystroke.

const collaborativeEditor = useCollaborativeEditors();

const p = (t: string): JSONContent => (t ? { type: 'paragraph', content: [{ type: 'text', text: t }] } : { type: 'paragraph' });
const INTERVIEW = interviewDocument([
	{ type: 'qaBlock', attrs: { id: 'q-1', kind: 'question', speaker: 'p-bw' }, content: [p('What happened in the delta?')] },
	{ type: 'qaBlock', attrs: { id: 'q-2', kind: 'answer', speaker: 'p-av' }, content: [p('The flooding cut the road.'), p('Prices doubled within a week.')] },
	{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'After the flood' }] },
	p('Relief convoys waited at the bridge.')
]);

/** A link between two copies: updates are queued and delivered when flushed (as a websocket would, late). */
class Network {
	readonly docs: Y.Doc[];
	private queues = new Map<string, Uint8Array[]>();
	constructor(count: number, initial: Uint8Array) {
		this.docs = Array.from({ length: count }, () => {
			const d = new Y.Doc();
			Y.applyUpdate(d, initial);
			return d;
		});
		this.docs.forEach((d, from) =>
			d.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin === 'network') return;
				this.docs.forEach((_, to) => to !== from && this.queue(from, to).push(update));
			})
		);
	}
	private queue(from: number, to: number): Uint8Array[] {
		const key = `${from}>${to}`;
		if (!this.queues.has(key)) this.queues.set(key, []);
		return this.queues.get(key)!;
	}
	flush(from: number, to: number) {
		for (const u of this.queue(from, to).splice(0)) Y.applyUpdate(this.docs[to], u, 'network');
	}
	flushAll() {
		this.docs.forEach((_, from) => this.docs.forEach((_, to) => from !== to && this.flush(from, to)));
	}
}

/** The document position of `offset` characters into the first textblock whose text starts with `start`. */
function positionIn(editor: Editor, start: string, offset: number): number {
	let found = -1;
	editor.state.doc.descendants((node, pos) => {
		if (found >= 0) return false;
		if (node.isTextblock && node.textContent.startsWith(start)) found = pos + 1 + offset;
		return !node.isTextblock;
	});
	if (found < 0) throw new Error(`no block starts with ${start}`);
	return found;
}

function placeCaret(editor: Editor, pos: number) {
	editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, pos)));
}

const typeChar = (editor: Editor, ch: string) => editor.view.dispatch(editor.state.tr.insertText(ch));

/** The text just before the caret. */
const beforeCaret = (editor: Editor, length: number) => {
	const { from } = editor.state.selection;
	return editor.state.doc.textBetween(Math.max(0, from - length), from);
};

/** The text of the `index`-th textblock (0: the lead-in, 1: the question, 2 and 3: the answer's paragraphs, 4: the heading). */
const blockText = (editor: Editor, index: number) => {
	const blocks: string[] = [];
	editor.state.doc.descendants((node) => {
		if (node.isTextblock) blocks.push(node.textContent);
		return !node.isTextblock;
	});
	return blocks[index];
};

interface Typist {
	block: string;
	offset: number;
	text: string;
}

/** Each typist types its text one character at a time, interleaved round-robin; the updates delivered after every keystroke, or only at the end. */
function typeTogether(typists: Typist[], deliver: 'each keystroke' | 'at the end' = 'each keystroke') {
	const net = new Network(typists.length, yjsStateFromJSON(INTERVIEW));
	const editors = net.docs.map((d) => collaborativeEditor(d));
	typists.forEach((t, i) => placeCaret(editors[i], positionIn(editors[i], t.block, t.offset)));
	const longest = Math.max(...typists.map((t) => t.text.length));
	for (let k = 0; k < longest; k++) {
		typists.forEach((t, i) => {
			if (k >= t.text.length) return;
			typeChar(editors[i], t.text[k]);
			if (deliver === 'each keystroke') net.flushAll();
			// every caret is right after what its owner has typed so far
			typists.forEach((other, j) => {
				const typed = other.text.slice(0, Math.min(other.text.length, j <= i ? k + 1 : k));
				if (typed) expect(beforeCaret(editors[j], typed.length), `caret of typist ${j + 1}`).toBe(typed);
			});
		});
	}
	net.flushAll();
	return editors;
}

describe('two people typing in one Q&A turn', () => {
	it('keeps both texts whole and in order, one at the end of the answer and one near its start (the reported case)', () => {
		const editors = typeTogether([
			{ block: 'The flooding', offset: 'The flooding cut the road.'.length, text: ' Militants then seized two markets.' },
			{ block: 'The flooding', offset: 'The '.length, text: 'seasonal ' }
		]);
		for (const editor of editors) expect(blockText(editor, 2)).toBe('The seasonal flooding cut the road. Militants then seized two markets.');
	});

	it('keeps both texts when the carets are a word apart', () => {
		const editors = typeTogether([
			{ block: 'The flooding', offset: 'The flooding cut'.length, text: ' finally' },
			{ block: 'The flooding', offset: 'The flooding'.length, text: ' also' }
		]);
		for (const editor of editors) expect(blockText(editor, 2)).toBe('The flooding also cut finally the road.');
	});

	it('keeps three people’s texts in one turn, in its two paragraphs', () => {
		const editors = typeTogether([
			{ block: 'The flooding', offset: 'The flooding cut the road.'.length, text: ' Militants then seized two markets.' },
			{ block: 'The flooding', offset: 'The '.length, text: 'seasonal ' },
			{ block: 'Prices', offset: 0, text: 'Fuel and ' }
		]);
		for (const editor of editors) {
			expect(blockText(editor, 2)).toBe('The seasonal flooding cut the road. Militants then seized two markets.');
			expect(blockText(editor, 3)).toBe('Fuel and Prices doubled within a week.');
		}
	});

	it('keeps both texts in the question while the updates arrive late, all at once', () => {
		const editors = typeTogether(
			[
				{ block: 'What happened', offset: 'What happened in the delta'.length, text: ' last spring' },
				{ block: 'What happened', offset: 'What '.length, text: 'exactly ' }
			],
			'at the end'
		);
		for (const editor of editors) expect(blockText(editor, 1)).toBe('What exactly happened in the delta last spring?');
	});
});

describe('two people typing in the lead-in and in a heading', () => {
	it('keeps both texts in the lead-in', () => {
		const editors = typeTogether([
			{ block: 'Basin Watch spoke', offset: 'Basin Watch spoke with Anneli Varga about the delta'.length, text: ' and its markets' },
			{ block: 'Basin Watch spoke', offset: 'Basin Watch '.length, text: 'recently ' }
		]);
		for (const editor of editors) expect(blockText(editor, 0)).toBe('Basin Watch recently spoke with Anneli Varga about the delta and its markets.');
	});

	it('keeps both texts in a heading (a block with an attribute, like a turn)', () => {
		const editors = typeTogether([
			{ block: 'After the', offset: 'After the flood'.length, text: ' waters' },
			{ block: 'After the', offset: 'After '.length, text: 'long ' }
		]);
		for (const editor of editors) expect(blockText(editor, 4)).toBe('After long the flood waters');
	});
});

describe('a turn moved by another person (deleted and inserted again, as drag and drop does)', () => {
	it('still takes the caret along with the moved turn (y-tiptap’s own recovery, left alone for a moved block)', () => {
		const net = new Network(2, yjsStateFromJSON(INTERVIEW));
		const [a, b] = net.docs.map((d) => collaborativeEditor(d));
		placeCaret(a, positionIn(a, 'The flooding', 'The flooding'.length));
		// B moves the answer before the question
		let answerPos = -1;
		b.state.doc.forEach((node, offset) => {
			if (node.attrs.id === 'q-2') answerPos = offset;
		});
		const answerNode = b.state.doc.nodeAt(answerPos)!;
		let questionPos = -1;
		b.state.doc.forEach((node, offset) => {
			if (node.attrs.id === 'q-1') questionPos = offset;
		});
		b.view.dispatch(b.state.tr.delete(answerPos, answerPos + answerNode.nodeSize).insert(questionPos, answerNode));
		net.flushAll();
		expect(blockText(a, 1)).toBe('The flooding cut the road.');
		expect(beforeCaret(a, 'The flooding'.length)).toBe('The flooding');
		typeChar(a, '!');
		net.flushAll();
		expect(blockText(b, 1)).toBe('The flooding! cut the road.');
	});
});

describe('model: random concurrent typing positions in one turn', () => {
	const ANSWER = ['The flooding cut the road.', 'Prices doubled within a week.'];
	const typist = fc.record({
		paragraph: fc.integer({ min: 0, max: 1 }),
		offset: fc.nat(),
		// Digits and brackets, which the paragraphs do not have: y-prosemirror writes a keystroke to Yjs as a
		// diff of the paragraph's text, so a letter typed just before the same letter is written after it,
		// and another person's keystroke right there can then land inside the word (a limit of the binding
		// with carets one character apart, not what this test is about).
		word: fc.stringMatching(/^[0-9]{1,5}$/)
	});
	// A schedule: who types the next character, and which queued updates are delivered after it.
	const step = fc.record({ who: fc.nat(), deliver: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }) });

	it('every text is there, whole, in the order of the carets, and every caret stays after its own text', () => {
		fc.assert(
			fc.property(fc.array(typist, { minLength: 2, maxLength: 3 }), fc.array(step, { maxLength: 40 }), (drawn, schedule) => {
				// each text is marked with its typist's number, so no two are alike
				const typists = drawn.map((t, i) => ({ ...t, text: `[${i + 1}${t.word}]` }));
				const n = typists.length;
				const net = new Network(n, yjsStateFromJSON(INTERVIEW));
				const editors = net.docs.map((d) => collaborativeEditor(d));
				const places = typists.map((t) => ({ paragraph: t.paragraph, offset: t.offset % (ANSWER[t.paragraph].length + 1) }));
				// two carets at the very same place: either text may come first (and see above), so not here
				fc.pre(new Set(places.map((pl) => `${pl.paragraph}:${pl.offset}`)).size === places.length);
				places.forEach((place, i) => placeCaret(editors[i], positionIn(editors[i], ANSWER[place.paragraph].slice(0, 8), place.offset)));
				const typed = typists.map(() => 0);
				const type = (i: number) => {
					if (typed[i] >= typists[i].text.length) return;
					typeChar(editors[i], typists[i].text[typed[i]++]);
				};
				const checkCarets = () =>
					editors.forEach((editor, i) => {
						const own = typists[i].text.slice(0, typed[i]);
						if (own) expect(beforeCaret(editor, own.length)).toBe(own);
					});
				for (const { who, deliver } of schedule) {
					type(who % n);
					for (const [from, to] of deliver) if (from % n !== to % n) net.flush(from % n, to % n);
					checkCarets();
				}
				// then everyone finishes typing, round-robin, the updates delivered at once
				while (typed.some((t, i) => t < typists[i].text.length)) {
					editors.forEach((_, i) => type(i));
					net.flushAll();
					checkCarets();
				}
				net.flushAll();
				const finals = editors.map((editor) => [blockText(editor, 2), blockText(editor, 3)]);
				finals.forEach((f) => expect(f).toEqual(finals[0]));
				for (let i = 0; i < n; i++) {
					const { paragraph, offset } = places[i];
					const text = finals[0][paragraph];
					const at = text.indexOf(typists[i].text);
					expect(at, `text of typist ${i + 1} whole in ${JSON.stringify(text)}`).toBeGreaterThanOrEqual(0);
					// others' texts at the same paragraph and a smaller offset come before it, at a larger one after
					for (let j = 0; j < n; j++) {
						if (j === i || places[j].paragraph !== paragraph) continue;
						const other = text.indexOf(typists[j].text);
						if (places[j].offset < offset) expect(other).toBeLessThan(at);
						else expect(other).toBeGreaterThan(at);
					}
				}
				// and the original words are all there, in order, around the typed ones
				for (const paragraph of [0, 1]) {
					let rest = finals[0][paragraph];
					typists.forEach((t, i) => places[i].paragraph === paragraph && (rest = rest.replace(t.text, '')));
					expect(rest).toBe(ANSWER[paragraph]);
				}
				editors.forEach((e) => e.destroy());
			}),
			{ numRuns: 40 }
		);
	});
});
