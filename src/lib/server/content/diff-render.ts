// Writes a comparison (diff.ts) as an HTML fragment: the new text, with what was inserted in <ins> and what
// was deleted in <del> where it stood. Nodes are written from the editor schema's `toDOM` specs, as the
// page's preview is (render.ts), with what the print form adds: a turn's speaker label, a citation's
// parentheses and date, endnote numbers with their notes at the end (a note's changed text marked inside it).
import type { JSONContent } from '@tiptap/core';
import type { Mark, Node as PmNode } from '@tiptap/pm/model';
import type { Change } from '@tiptap/pm/changeset';
import { participantLabel, participantsFromJSON, type Participant } from '../../editor/participants';
import { escapeHTML } from './render';
import { diffableDoc, diffBlocks } from './diff';

type Mode = 'ins' | 'del' | null;

export interface RenderedDiff {
	/** The marked HTML fragment. */
	html: string;
	/** How many places text was inserted at (a whole inserted block counts once). */
	insertions: number;
	/** How many places text was deleted at. */
	deletions: number;
}

const VOID = new Set(['br', 'hr', 'img', 'wbr']);
const open = (mode: Mode) => (mode ? `<${mode}>` : '');
const close = (mode: Mode) => (mode ? `</${mode}>` : '');
const blockAttr = (mode: Mode) => (mode === 'ins' ? 'inserted' : mode === 'del' ? 'deleted' : null);

class DiffWriter {
	out: string[] = [];
	notes: string[] = [];
	insertions = 0;
	deletions = 0;
	/** The label a Q&A turn's first paragraph starts with, until written. */
	private pendingLabel: string | null = null;

	constructor(
		private readonly participantsA: Participant[],
		private readonly participantsB: Participant[]
	) {}

	/** A DOMOutputSpec as HTML; `extra` attributes go on its outer element; `hole` writes the content. */
	spec(spec: unknown, hole: () => void, extra: Record<string, string> = {}): void {
		if (typeof spec === 'string') return void this.out.push(escapeHTML(spec));
		if (!Array.isArray(spec)) return hole();
		const tag = String(spec[0]).split(' ').pop()!.toLowerCase();
		if (!/^[a-z][a-z0-9-]*$/.test(tag)) return hole();
		let start = 1;
		const attrs: Record<string, unknown> = {};
		if (spec[1] && typeof spec[1] === 'object' && !Array.isArray(spec[1])) {
			start = 2;
			Object.assign(attrs, spec[1]);
		}
		Object.assign(attrs, extra);
		let html = `<${tag}`;
		for (const [name, value] of Object.entries(attrs)) {
			if (value == null || !/^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/.test(name)) continue;
			html += ` ${name}="${escapeHTML(String(value))}"`;
		}
		this.out.push(html + '>');
		if (VOID.has(tag)) return;
		for (let i = start; i < spec.length; i++) {
			if (spec[i] === 0) hole();
			else this.spec(spec[i], () => {});
		}
		this.out.push(`</${tag}>`);
	}

	/** A run of text with its marks (a citation's parentheses are written by `inline`). */
	text(text: string, marks: readonly Mark[], mode: Mode): void {
		if (!text) return;
		const label = this.labelHTML();
		let html = escapeHTML(text);
		for (let i = marks.length - 1; i >= 0; i--) {
			const toDOM = marks[i].type.spec.toDOM;
			if (!toDOM) continue;
			const inner = html;
			const saved = this.out;
			this.out = [];
			this.spec(toDOM(marks[i], true), () => this.out.push(inner));
			html = this.out.join('');
			this.out = saved;
		}
		this.out.push(label + open(mode) + html + close(mode));
	}

	/** Text the print form adds (a label, a citation's parentheses), marked as the text beside it. */
	printed(html: string, mode: Mode): void {
		if (html) this.out.push(this.labelHTML() + open(mode) + html + close(mode));
	}

	private labelHTML(): string {
		if (this.pendingLabel === null) return '';
		const label = `<strong class="qa-label">${escapeHTML(this.pendingLabel)}:</strong> `;
		this.pendingLabel = null;
		return label;
	}

	/** A whole node, every text in it marked with `mode` (a whole inserted or deleted block or inline node). */
	node(node: PmNode, mode: Mode, side: 'a' | 'b'): void {
		if (node.isText) return this.text(node.text ?? '', node.marks, mode);
		const name = node.type.name;
		if (name === 'participants' || name === 'participant') return;
		if (name === 'endnote') return this.endnote(mode, () => this.inlineChildren(node, mode, side));
		if (node.isLeaf) {
			const toDOM = node.type.spec.toDOM;
			if (!toDOM) return;
			this.out.push(open(mode));
			this.spec(toDOM(node), () => {}, node.isBlock && mode ? { 'data-diff': blockAttr(mode)! } : {});
			this.out.push(close(mode));
			return;
		}
		this.block(node, mode, side, () => (node.inlineContent ? this.inlineChildren(node, mode, side) : node.forEach((child) => this.node(child, mode, side))));
	}

	/** A block's element (with `data-diff` for a whole inserted or deleted one); a turn's first paragraph gets the speaker's label. */
	block(node: PmNode, mode: Mode, side: 'a' | 'b', content: () => void): void {
		const toDOM = node.type.spec.toDOM;
		const extra: Record<string, string> = mode ? { 'data-diff': blockAttr(mode)! } : {};
		if (node.type.name === 'qaBlock') {
			this.pendingLabel = participantLabel(side === 'a' ? this.participantsA : this.participantsB, node.attrs.speaker);
			if (mode === null) {
				// written by the block's first text (inside its mode); an empty first paragraph writes it here
				const label = this.pendingLabel;
				this.spec(toDOM ? toDOM(node) : ['section', 0], () => {
					content();
					if (this.pendingLabel === label) this.pendingLabel = null;
				}, extra);
				return;
			}
		}
		this.spec(toDOM ? toDOM(node) : ['div', 0], () => {
			if (node.type.name === 'qaBlock' && mode) {
				// the label of a whole inserted or deleted turn is marked with it
				const label = this.labelHTML();
				const first = this.out.length;
				content();
				if (label) this.insertLabel(first, label, mode);
			} else content();
		}, extra);
		this.pendingLabel = null;
	}

	/** Put a marked label right after the first paragraph's opening tag written since `first`. */
	private insertLabel(first: number, label: string, mode: Mode): void {
		const at = this.out.findIndex((s, i) => i >= first && /^<p[\s>]/.test(s));
		this.out.splice(at < 0 ? first : at + 1, 0, open(mode) + label + close(mode));
	}

	/** The inline content of a textblock written whole, with citations in their print form. */
	inlineChildren(node: PmNode, mode: Mode, side: 'a' | 'b'): void {
		node.forEach((child, _offset, index) => {
			const edge = citationEdges(node, index);
			if (edge.opens) this.printed('(', mode);
			this.node(child, mode, side);
			if (edge.closes) this.printed(citationTail(edge.closes), mode);
		});
	}

	/** An endnote reference: its number here, its note (written by `note`) at the end. */
	endnote(mode: Mode, note: () => void): void {
		const number = this.notes.length + 1;
		this.out.push(`${open(mode)}<sup class="endnote-ref" data-endnote="">[${number}]</sup>${close(mode)}`);
		const saved = this.out;
		this.out = [];
		note();
		this.notes.push(`<p class="endnote"${mode ? ` data-diff="${blockAttr(mode)}"` : ''}>${open(mode)}[${number}]${close(mode)} ${this.out.join('')}</p>`);
		this.out = saved;
	}
}

/** Where a citation run (adjacent text with the same citation) starts and ends, for the child at `index`. */
function citationEdges(parent: PmNode, index: number): { opens: boolean; closes: Mark | null } {
	const citationOf = (i: number) => (i >= 0 && i < parent.childCount ? (parent.child(i).marks.find((m) => m.type.name === 'citation') ?? null) : null);
	const here = citationOf(index);
	if (!here) return { opens: false, closes: null };
	const before = citationOf(index - 1);
	const after = citationOf(index + 1);
	return { opens: !before || !before.eq(here), closes: !after || !after.eq(here) ? here : null };
}

function citationTail(mark: Mark): string {
	const qualifier = mark.attrs.qualifier ? ` [${escapeHTML(String(mark.attrs.qualifier))}]` : '';
	const date = mark.attrs.date ? `, ${escapeHTML(String(mark.attrs.date))}` : '';
	return `${qualifier}${date})`;
}

/**
 * Writes a block changed in place: the new block (`b`) walked position by position (positions in its
 * content, as the changes give them), inserted ranges marked, and each deleted range of the old block
 * (`a`) written where it stood.
 */
class ChangedBlock {
	private done = new Set<Change>();

	constructor(
		private readonly w: DiffWriter,
		private readonly a: PmNode,
		private readonly changes: readonly Change[]
	) {
		for (const c of changes) {
			if (c.toB > c.fromB) w.insertions++;
			if (c.toA > c.fromA) w.deletions++;
		}
	}

	private inserted(from: number, to: number): boolean {
		return this.changes.some((c) => c.fromB <= from && to <= c.toB && c.toB > c.fromB);
	}

	/** The deletions standing at `pos` of the new block, not written yet. */
	private deletionsAt(pos: number, inline: boolean): void {
		for (const c of this.changes) {
			if (c.fromB !== pos || c.toA <= c.fromA || this.done.has(c)) continue;
			this.done.add(c);
			this.range(this.a, 0, c.fromA, c.toA, inline);
		}
	}

	/** Old content between `from` and `to`, deleted: whole nodes as they were, parts of nodes as their text. */
	private range(parent: PmNode, start: number, from: number, to: number, inline: boolean): void {
		parent.forEach((child, offset, index) => {
			const pos = start + offset;
			const end = pos + child.nodeSize;
			if (end <= from || pos >= to) return;
			if (child.isText) {
				const edge = citationEdges(parent, index);
				const text = child.text!.slice(Math.max(from, pos) - pos, Math.min(to, end) - pos);
				if (edge.opens && pos >= from) this.w.printed('(', 'del');
				this.w.text(text, child.marks, 'del');
				if (edge.closes && end <= to) this.w.printed(citationTail(edge.closes), 'del');
				return;
			}
			const whole = pos >= from && end <= to;
			if (whole && !(inline && child.isBlock)) return this.w.node(child, 'del', 'a');
			if (!whole && !inline && child.isTextblock) {
				this.w.out.push('<p data-diff="deleted">');
				this.range(child, pos + 1, from, to, true);
				this.w.out.push('</p>');
				return;
			}
			this.range(child, pos + 1, from, to, inline || child.inlineContent);
		});
	}

	/** Deletions the walk did not pass (none expected): written at the block's end rather than lost. */
	rest(): void {
		for (const c of this.changes) {
			if (c.toA <= c.fromA || this.done.has(c)) continue;
			this.done.add(c);
			this.range(this.a, 0, c.fromA, c.toA, false);
		}
	}

	/** The new block's content from `start` (its content's position). */
	content(node: PmNode, start: number): void {
		const inline = node.inlineContent;
		node.forEach((child, offset, index) => {
			const pos = start + offset;
			const end = pos + child.nodeSize;
			this.deletionsAt(pos, inline);
			const edge = citationEdges(node, index);
			if (child.isText) return this.textPieces(child, pos, edge);
			if (this.inserted(pos, end)) return this.w.node(child, 'ins', 'b');
			if (child.type.name === 'endnote') return this.w.endnote(null, () => this.content(child, pos + 1));
			if (child.isLeaf) return this.w.node(child, null, 'b');
			this.w.block(child, null, 'b', () => this.content(child, pos + 1));
		});
		this.deletionsAt(start + node.content.size, inline);
	}

	/** A text node split where insertions start and end and where deletions stand. */
	private textPieces(child: PmNode, pos: number, edge: { opens: boolean; closes: Mark | null }): void {
		const end = pos + child.nodeSize;
		const cuts = new Set([pos, end]);
		for (const c of this.changes) {
			for (const p of [c.fromB, c.toB]) if (p > pos && p < end) cuts.add(p);
		}
		const points = [...cuts].sort((x, y) => x - y);
		const marks = child.marks;
		for (let i = 0; i < points.length - 1; i++) {
			const from = points[i];
			const to = points[i + 1];
			if (i > 0) this.deletionsAt(from, true);
			const mode: Mode = this.inserted(from, to) ? 'ins' : null;
			if (i === 0 && edge.opens) this.w.printed('(', mode);
			this.w.text(child.text!.slice(from - pos, to - pos), marks, mode);
			if (i === points.length - 2 && edge.closes) this.w.printed(citationTail(edge.closes), mode);
		}
	}
}

/**
 * The comparison from `from` (the old text) to `to` (the new), as an HTML fragment: the new text with
 * insertions in <ins> and deletions in <del>. A whole block inserted or deleted (a Q&A turn with its
 * speaker, a paragraph) is marked whole and carries `data-diff="inserted|deleted"`; a citation whose source
 * or date changed is deleted and inserted whole; an endnote's changed text is marked inside its note.
 */
export function renderDiff(from: JSONContent, to: JSONContent): RenderedDiff {
	const a = diffableDoc(from);
	const b = diffableDoc(to);
	const w = new DiffWriter(participantsFromJSON(from), participantsFromJSON(to));
	for (const block of diffBlocks(a, b)) {
		switch (block.kind) {
			case 'same':
				w.node(block.node, null, 'b');
				break;
			case 'inserted':
				w.insertions++;
				w.node(block.node, 'ins', 'b');
				break;
			case 'deleted':
				w.deletions++;
				w.node(block.node, 'del', 'a');
				break;
			case 'changed': {
				const changed = new ChangedBlock(w, block.a, block.changes);
				const node = block.b;
				if (node.isLeaf) w.node(node, null, 'b');
				else
					w.block(node, null, 'b', () => {
						changed.content(node, 0);
						changed.rest();
					});
				break;
			}
		}
	}
	if (w.notes.length) w.out.push('<section class="endnotes"><h2>Notes</h2>', ...w.notes, '</section>');
	return { html: w.out.join(''), insertions: w.insertions, deletions: w.deletions };
}
