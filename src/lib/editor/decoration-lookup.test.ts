import { describe, expect, it } from 'vitest';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { editorSchema } from './extensions';
import './decoration-lookup';

// The binary search must give every child exactly the decorations ProseMirror's own scan gives it.
describe('decorations looked up per child (decoration-lookup.ts)', () => {
	it('gives each of 300 paragraphs its own decorations, inline ones crossing paragraphs included', () => {
		const s = editorSchema;
		const paragraphs = Array.from({ length: 300 }, (_, i) => s.nodes.paragraph.create(null, s.text(`Turn ${i}: the wardens came back to Halm.`)));
		const doc = s.nodes.doc.create(null, paragraphs);
		const decorations: Decoration[] = [];
		const starts: number[] = [];
		doc.forEach((p, pos, i) => {
			starts.push(pos);
			if (i % 3 === 0) decorations.push(Decoration.inline(pos + 1, pos + 4, { 'data-x': String(i) }, { i }));
		});
		decorations.push(Decoration.inline(starts[10] + 3, starts[12] + 5, { class: 'across' })); // a local one, over three paragraphs
		decorations.push(Decoration.node(starts[20], starts[20] + paragraphs[20].nodeSize, { 'data-whole': '' })); // a local node decoration
		const set = DecorationSet.create(doc, decorations);
		doc.forEach((p, pos, i) => {
			const inside: Decoration[] = [];
			set.forChild(pos, p).forEachSet((part) => inside.push(...part.find()));
			const expected: string[] = [];
			if (i % 3 === 0) expected.push(`0-3 node ${i}`);
			if (i >= 10 && i <= 12) expected.push('inline');
			expect(inside.map((d) => (d.spec.i !== undefined ? `${d.from}-${d.to} node ${d.spec.i}` : 'inline')).sort()).toEqual(expected.sort());
		});
	});

	it('gives each child the same set as ProseMirror when the set has no local decorations (the path without a copy)', () => {
		const s = editorSchema;
		const paragraphs = Array.from({ length: 200 }, (_, i) => s.nodes.paragraph.create(null, s.text(`Turn ${i}: the gauges at Halm.`)));
		const doc = s.nodes.doc.create(null, paragraphs);
		const decorations: Decoration[] = [];
		doc.forEach((p, pos, i) => {
			if (i % 2 === 1) decorations.push(Decoration.inline(pos + 2, pos + 5, { 'data-x': String(i) }, { i }));
		});
		const set = DecorationSet.create(doc, decorations);
		const internals = set as unknown as { children: unknown[]; local: unknown[] };
		// ProseMirror's internals this module relies on: fails if prosemirror-view renames them
		expect(Array.isArray(internals.children) && Array.isArray(internals.local)).toBe(true);
		expect(internals.local).toHaveLength(0);
		expect(internals.children.length).toBeGreaterThan(3 * 16);
		doc.forEach((p, pos, i) => {
			const child = set.forChild(pos, p);
			if (i % 2 === 0) expect(child).toBe(DecorationSet.empty);
			else {
				const at = internals.children.indexOf(pos);
				expect(child).toBe(internals.children[at + 2]);
				expect((child as DecorationSet).find().map((d) => d.spec.i)).toContain(i);
			}
		});
	});

	it('gives each child its own set, without the many node decorations of top-level nodes, and still the inline ones crossing it', () => {
		const s = editorSchema;
		const paragraphs = Array.from({ length: 300 }, (_, i) => s.nodes.paragraph.create(null, s.text(`Turn ${i}: the weirs at Talmar.`)));
		const doc = s.nodes.doc.create(null, paragraphs);
		const decorations: Decoration[] = [];
		const starts: number[] = [];
		doc.forEach((p, pos, i) => {
			starts.push(pos);
			if (i % 2 === 1) decorations.push(Decoration.inline(pos + 2, pos + 5, { 'data-x': String(i) }, { i }));
			if (i >= 50 && i < 250) decorations.push(Decoration.node(pos, pos + p.nodeSize, { class: 'near' })); // 200 local node decorations
		});
		decorations.push(Decoration.inline(starts[100] + 3, starts[101] + 5, { class: 'across' })); // local, inline, over two paragraphs
		const set = DecorationSet.create(doc, decorations);
		const internals = set as unknown as { children: unknown[]; local: unknown[] };
		expect(internals.local.length).toBeGreaterThan(200);
		doc.forEach((p, pos, i) => {
			const child = set.forChild(pos, p);
			const inside: Decoration[] = [];
			child.forEachSet((part) => inside.push(...part.find()));
			const expected = [...(i % 2 === 1 ? [`node ${i}`] : []), ...(i === 100 || i === 101 ? ['across'] : [])];
			expect(inside.map((d) => (d.spec.i !== undefined ? `node ${d.spec.i}` : 'across')).sort()).toEqual(expected.sort());
			// no inline decoration crosses it: the child's own set, as ProseMirror gives it
			if (i % 2 === 1 && i !== 101) expect(child).toBe(internals.children[internals.children.indexOf(pos) + 2]);
		});
	});

	it('does not scan a set of node decorations of top-level nodes (the turn window: no children) for each child', () => {
		const s = editorSchema;
		const paragraphs = Array.from({ length: 400 }, (_, i) => s.nodes.paragraph.create(null, s.text(`Turn ${i}: the flood-gate crews at Daskar.`)));
		const doc = s.nodes.doc.create(null, paragraphs);
		const decorations: Decoration[] = [];
		doc.forEach((p, pos, i) => {
			if (i >= 100 && i < 320) decorations.push(Decoration.node(pos, pos + p.nodeSize, { class: 'turn-near' }));
		});
		const set = DecorationSet.create(doc, decorations);
		const internals = set as unknown as { children: unknown[]; local: unknown[] };
		expect(internals.children).toHaveLength(0);
		expect(internals.local).toHaveLength(220);
		// count the reads of the set's decorations while every child is looked up, as a redraw does
		let reads = 0;
		internals.local = new Proxy(internals.local, {
			get(target, key, receiver) {
				if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
				return Reflect.get(target, key, receiver);
			}
		});
		doc.forEach((p, pos) => expect(set.forChild(pos, p)).toBe(DecorationSet.empty));
		// once (to find that none is inline), not once per child (400 × 220)
		expect(reads).toBeLessThanOrEqual(220);
	});
});
