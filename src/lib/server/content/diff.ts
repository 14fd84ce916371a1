// Comparing two versions of a piece: both documents are read with the one editor schema, their top-level
// blocks are aligned (unchanged, inserted, deleted, or changed in place), and each block changed in place is
// diffed with prosemirror-changeset. diff-render.ts writes the result as HTML marked with <ins> and <del>.
import type { JSONContent } from '@tiptap/core';
import type { Mark, Node as PmNode } from '@tiptap/pm/model';
import { StepMap } from '@tiptap/pm/transform';
import { ChangeSet, simplifyChanges, type Change, type TokenEncoder } from '@tiptap/pm/changeset';
import { editorSchema } from '../../editor/extensions';
import { sanitizeJSON } from './render';

/** One top-level block of the comparison. */
export type BlockDiff =
	| { kind: 'same'; node: PmNode }
	| { kind: 'inserted'; node: PmNode }
	| { kind: 'deleted'; node: PmNode }
	/** The same block, changed: `changes` are positions in the blocks' content (a: the old, b: the new). */
	| { kind: 'changed'; a: PmNode; b: PmNode; changes: readonly Change[] };

/**
 * How document tokens compare. A character carries its marks (a word made bold reads as changed), and a
 * citation's character carries the whole citation (source, date, link): a citation whose source or date
 * changed is deleted and inserted as a whole, never diffed letter by letter. A Q&A turn's start carries its
 * speaker (another speaker: another turn), a heading's its level; ids are not compared.
 */
const encoder: TokenEncoder<string> = {
	encodeCharacter(char: number, marks: readonly Mark[]) {
		if (!marks.length) return String.fromCharCode(char);
		return String.fromCharCode(char) + marks.map(markKey).join('');
	},
	encodeNodeStart(node: PmNode) {
		switch (node.type.name) {
			case 'qaBlock':
				return `<qaBlock ${node.attrs.speaker ?? ''}>`;
			case 'heading':
				return `<heading ${node.attrs.level}>`;
			case 'orderedList':
				return `<orderedList ${node.attrs.start}>`;
			default:
				return node.isLeaf ? `<${node.type.name} ${JSON.stringify(node.attrs)}>` : `<${node.type.name}>`;
		}
	},
	encodeNodeEnd(node: PmNode) {
		return `</${node.type.name}>`;
	},
	compareTokens: (a, b) => a === b
};

function markKey(mark: Mark): string {
	const name = mark.type.name;
	if (name === 'citation') return `|citation ${mark.attrs.source} ${mark.attrs.date} ${mark.attrs.url} ${mark.attrs.qualifier}`;
	if (name === 'link') return `|link ${mark.attrs.href}`;
	return `|${name}`;
}

/** The document of editor JSON, as the renderer reads it (links that are not http(s)/mailto dropped). */
export function diffableDoc(json: JSONContent): PmNode {
	return editorSchema.nodeFromJSON(sanitizeJSON(json));
}

/** The changes inside one block changed in place, word-aligned for reading (positions in the blocks' content). */
export function blockChanges(a: PmNode, b: PmNode): readonly Change[] {
	const set = ChangeSet.create(a, undefined, encoder).addSteps(b, [new StepMap([0, a.content.size, b.content.size])], null);
	return simplifyChanges(set.changes, b);
}

/** Top-level blocks that print (the hidden participants list does not: it only gives the labels). */
function printedBlocks(doc: PmNode): PmNode[] {
	const out: PmNode[] = [];
	doc.forEach((n) => {
		if (n.type.name === 'participants') return;
		// an empty heading or lead-in (a template's, with its prompt in the editor) prints nothing
		if ((n.type.name === 'heading' || n.type.name === 'leadIn') && n.content.size === 0) return;
		out.push(n);
	});
	return out;
}

/** Longest common subsequence of equal blocks: pairs of indexes [i in a, j in b], in order. */
function commonBlocks(a: PmNode[], b: PmNode[]): [number, number][] {
	let start = 0;
	while (start < a.length && start < b.length && a[start].eq(b[start])) start++;
	let endA = a.length;
	let endB = b.length;
	while (endA > start && endB > start && a[endA - 1].eq(b[endB - 1])) endA--, endB--;
	const pairs: [number, number][] = [];
	for (let k = 0; k < start; k++) pairs.push([k, k]);
	const n = endA - start;
	const m = endB - start;
	if (n > 0 && m > 0 && n * m <= 4_000_000) {
		// lengths of the LCS of a[i..] and b[j..]
		const width = m + 1;
		const table = new Uint32Array((n + 1) * width);
		for (let i = n - 1; i >= 0; i--) {
			for (let j = m - 1; j >= 0; j--) {
				table[i * width + j] = a[start + i].eq(b[start + j]) ? table[(i + 1) * width + j + 1] + 1 : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
			}
		}
		let i = 0;
		let j = 0;
		while (i < n && j < m) {
			if (a[start + i].eq(b[start + j])) {
				pairs.push([start + i, start + j]);
				i++;
				j++;
			} else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) i++;
			else j++;
		}
	}
	for (let k = 0; k < a.length - endA; k++) pairs.push([endA + k, endB + k]);
	return pairs;
}

/** How alike two blocks' texts are (Dice coefficient of their words, 0 to 1). */
export function similarity(a: PmNode, b: PmNode): number {
	const words = (n: PmNode) => n.textContent.toLowerCase().split(/\s+/).filter(Boolean);
	const wa = words(a);
	const wb = words(b);
	if (!wa.length && !wb.length) return 1;
	const counts = new Map<string, number>();
	for (const w of wa) counts.set(w, (counts.get(w) ?? 0) + 1);
	let common = 0;
	for (const w of wb) {
		const c = counts.get(w) ?? 0;
		if (c > 0) {
			common++;
			counts.set(w, c - 1);
		}
	}
	return (2 * common) / (wa.length + wb.length);
}

/**
 * Whether a block of the old text and one of the new are the same block, changed (diffed inside) rather
 * than one deleted and another inserted: the same type, a turn of the same speaker, a heading of the same
 * level, and text alike enough (or the same id, which the editor keeps for turns and headings).
 */
function sameBlock(a: PmNode, b: PmNode): boolean {
	if (a.type !== b.type) return false;
	if (a.type.name === 'qaBlock' && a.attrs.speaker !== b.attrs.speaker) return false;
	if (a.type.name === 'heading' && a.attrs.level !== b.attrs.level) return false;
	if (a.attrs.id && a.attrs.id === b.attrs.id) return true;
	return similarity(a, b) >= 0.4;
}

/** The blocks between two unchanged ones: pair those changed in place, the others deleted or inserted. */
function diffGap(a: PmNode[], b: PmNode[], out: BlockDiff[]): void {
	let ai = 0;
	let inserted: BlockDiff[] = [];
	// deleted blocks read before the blocks inserted in their place
	const flush = (upTo: number) => {
		for (; ai < upTo; ai++) out.push({ kind: 'deleted', node: a[ai] });
		out.push(...inserted);
		inserted = [];
	};
	for (let bj = 0; bj < b.length; bj++) {
		const match = a.findIndex((node, k) => k >= ai && sameBlock(node, b[bj]));
		if (match < 0) {
			inserted.push({ kind: 'inserted', node: b[bj] });
			continue;
		}
		flush(match);
		out.push({ kind: 'changed', a: a[match], b: b[bj], changes: blockChanges(a[match], b[bj]) });
		ai = match + 1;
	}
	flush(a.length);
}

/** The top-level blocks of the comparison from `from` (the old text) to `to` (the new), in reading order. */
export function diffBlocks(from: PmNode, to: PmNode): BlockDiff[] {
	const a = printedBlocks(from);
	const b = printedBlocks(to);
	const out: BlockDiff[] = [];
	let lastA = 0;
	let lastB = 0;
	for (const [i, j] of [...commonBlocks(a, b), [a.length, b.length] as [number, number]]) {
		diffGap(a.slice(lastA, i), b.slice(lastB, j), out);
		if (i < a.length) out.push({ kind: 'same', node: b[j] });
		lastA = i + 1;
		lastB = j + 1;
	}
	return out;
}
