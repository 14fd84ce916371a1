import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Node as PmNode } from '@tiptap/pm/model';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import { sectionsOf, writableBlocks, type PieceSection, type SectionBlock } from '../domain/sections';

// Section rights in the browser (docs/editor.md, "Sections"). A contributor whose rights on a piece are only
// some of its sections sees the whole piece and edits only inside those sections: a local transaction that
// changes anything outside them (the section's heading, the blocks before the first heading, other sections)
// is filtered out, so the keystroke does nothing; changes from others (y-sync) always pass. The server refuses
// such an update anyway (collab/section-guard.ts); this keeps the browser from trying. The rest of the piece
// is dimmed, the writable sections outlined. Beside each assigned heading, its assignees; for the editor, an
// "Assign…" button there.

export interface SectionAssignee {
	name: string;
	role: string;
}

export interface SectionRightsOptions {
	/** The sections (heading ids) this person may write in; null: not restricted (the whole piece, or read-only). */
	sections: () => readonly string[] | null;
	/** The people assigned to each section, by heading id. */
	assignees: () => Readonly<Record<string, readonly SectionAssignee[]>>;
	/** Set for the editor: the "Assign…" button beside each heading calls it. */
	onAssign: ((section: { id: string; title: string }) => void) | null;
}

export const sectionRightsKey = new PluginKey<DecorationSet>('sectionRights');

/** Call after the sections or assignees changed: the decorations are drawn again. */
export function refreshSectionRights(state: EditorState): Transaction {
	return state.tr.setMeta(sectionRightsKey, 'refresh').setMeta('addToHistory', false);
}

interface Layout {
	blocks: SectionBlock[];
	/** Block index → its start position. */
	starts: number[];
	mine: PieceSection[];
	writable: Set<number>;
}

const layouts = new WeakMap<PmNode, { key: string; layout: Layout }>();

/** The top-level blocks of `doc` and where this person may write (cached per document and sections). */
export function layoutOf(doc: PmNode, sections: readonly string[]): Layout {
	const key = sections.join('\n');
	const cached = layouts.get(doc);
	if (cached && cached.key === key) return cached.layout;
	const blocks: SectionBlock[] = [];
	const starts: number[] = [];
	doc.forEach((node, offset) => {
		starts.push(offset);
		blocks.push(node.type.name === 'heading' ? { type: 'heading', level: numberOr(node.attrs.level, 1), id: typeof node.attrs.id === 'string' ? node.attrs.id : null } : { type: node.type.name });
	});
	const wanted = new Set(sections);
	const layout = { blocks, starts, mine: sectionsOf(blocks).filter((s) => wanted.has(s.id)), writable: writableBlocks(blocks, sections) };
	layouts.set(doc, { key, layout });
	return layout;
}

function numberOr(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

/**
 * May a local transaction going from `before` to `after` happen for someone who writes only in `sections`?
 * What changed lies between the first and last difference of the two documents: every top-level block it
 * touches must be writable, content added between blocks must land inside a section (after its heading, up
 * to its end), and a heading added or changed there must be a subheading (deeper than the section's level).
 */
export function mayChange(before: PmNode, after: PmNode, sections: readonly string[]): boolean {
	const start = before.content.findDiffStart(after.content);
	if (start === null) return true;
	const end = before.content.findDiffEnd(after.content)!;
	let endA = end.a;
	let endB = end.b;
	const overlap = start - Math.min(endA, endB);
	if (overlap > 0) {
		endA += overlap;
		endB += overlap;
	}
	const layout = layoutOf(before, sections);
	const $from = before.resolve(start);
	const $to = before.resolve(endA);
	const first = $from.index(0);
	const last = $to.depth === 0 ? $to.index(0) - 1 : $to.index(0);
	let sectionLevel: number | null = null;
	const levelAt = (inside: (s: PieceSection) => boolean) => {
		for (const s of layout.mine) if (inside(s) && (sectionLevel === null || s.level < sectionLevel)) sectionLevel = s.level;
	};
	if (first <= last) {
		for (let i = first; i <= last; i++) if (!layout.writable.has(i)) return false;
		levelAt((s) => s.start < first && last < s.end);
	} else {
		// only added between blocks: at the gap before block `first`
		levelAt((s) => s.start < first && first <= s.end);
		if (sectionLevel === null) return false;
	}
	// headings among the blocks the change wrote (in the new document)
	const $newFrom = after.resolve(start);
	const $newTo = after.resolve(Math.max(start, endB));
	const newLast = $newTo.depth === 0 ? $newTo.index(0) - 1 : $newTo.index(0);
	for (let i = $newFrom.index(0); i <= newLast && i < after.childCount; i++) {
		const node = after.child(i);
		if (node.type.name === 'heading' && (sectionLevel === null || numberOr(node.attrs.level, 1) <= sectionLevel)) return false;
	}
	return true;
}

export const SectionRights = Extension.create<SectionRightsOptions>({
	name: 'sectionRights',

	addOptions() {
		return { sections: () => null, assignees: () => ({}), onAssign: null };
	},

	addProseMirrorPlugins() {
		const options = this.options;
		return [
			new Plugin<DecorationSet>({
				key: sectionRightsKey,
				filterTransaction(tr, state) {
					const sections = options.sections();
					if (sections === null || !tr.docChanged || isChangeOrigin(tr)) return true;
					return mayChange(state.doc, tr.doc, sections);
				},
				state: {
					init: (_config, state) => decorations(state.doc, options),
					apply: (tr, previous, _old, state) => (tr.docChanged || tr.getMeta(sectionRightsKey) ? decorations(state.doc, options) : previous)
				},
				props: {
					decorations(state) {
						return sectionRightsKey.getState(state);
					}
				}
			})
		];
	}
});

/** Dim what this person may not write, outline their sections; assignees (and the editor's button) beside headings. */
function decorations(doc: PmNode, options: SectionRightsOptions): DecorationSet {
	const sections = options.sections();
	const assignees = options.assignees();
	const decos: Decoration[] = [];
	const layout = sections ? layoutOf(doc, sections) : null;
	const mineStarts = new Set(layout?.mine.map((s) => s.start));
	let index = 0;
	doc.forEach((node, offset) => {
		const i = index++;
		if (layout) {
			const cls = layout.writable.has(i) ? 'section-writable' : mineStarts.has(i) ? 'section-heading-mine' : 'section-outside';
			decos.push(Decoration.node(offset, offset + node.nodeSize, { class: cls }));
		}
		if (node.type.name !== 'heading' || typeof node.attrs.id !== 'string') return;
		const id = node.attrs.id;
		const people = assignees[id] ?? [];
		if (people.length === 0 && !options.onAssign) return;
		const title = node.textContent;
		decos.push(
			// at the heading's end, floated to its right (not editable, not part of the text)
			Decoration.widget(offset + node.nodeSize - 1, () => assigneeWidget(id, title, people, options.onAssign), {
				side: 1,
				ignoreSelection: true,
				key: `assignees:${id}:${people.map((p) => `${p.name}/${p.role}`).join(',')}:${options.onAssign ? 'editor' : ''}:${title}`
			})
		);
	});
	return DecorationSet.create(doc, decos);
}

function assigneeWidget(id: string, title: string, people: readonly SectionAssignee[], onAssign: SectionRightsOptions['onAssign']): HTMLElement {
	const box = document.createElement('span');
	box.className = 'section-assignees';
	box.contentEditable = 'false';
	box.dataset.section = id;
	if (people.length) {
		const names = document.createElement('span');
		names.className = 'section-assignee-names';
		names.textContent = people.map((p) => (p.role === 'author' ? p.name : `${p.name} (${p.role})`)).join(', ');
		box.append(names);
	}
	if (onAssign) {
		const button = document.createElement('button');
		button.type = 'button';
		button.className = 'section-assign';
		button.textContent = 'Assign…';
		button.setAttribute('aria-label', `Assign the section “${title}”`);
		button.addEventListener('mousedown', (e) => e.preventDefault());
		button.addEventListener('click', (e) => {
			e.preventDefault();
			onAssign({ id, title });
		});
		box.append(button);
	}
	return box;
}
