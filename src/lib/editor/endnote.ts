import { Node, mergeAttributes, type JSONContent } from '@tiptap/core';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { Fragment, type Node as PmNode, type Schema } from '@tiptap/pm/model';
import { Mapping } from '@tiptap/pm/transform';
import * as Y from 'yjs';

// Endnotes (editor schema 4). An `endnote` is an inline node standing where its reference `[n]` prints;
// the note's text is the node's own content (`text*`, italic allowed), so in Yjs it is an XmlText inside
// the `endnote` element and two people typing in one note merge like any text. The node is an atom: the
// main editor shows only the number and never puts its caret inside; the note is typed in the Notes panel
// (endnote-field.ts), whose steps are applied to this node. The note goes wherever its reference goes:
// deleted with it (undo brings both back), copied and pasted with it (with a fresh id, see UniqueID in
// extensions.ts and `endnoteIdRepairs` below). Numbers are never stored: they are the place in the text.
//
// Schema 3 kept the text as the `note` attribute, rewritten whole on every keystroke (the last writer won,
// the other person's words were lost). Documents in that legacy form are read everywhere (an endnote
// without content reads its `note`) and converted by the server when it loads them
// (`upgradeLegacyEndnotes`, as schema 3 did for participants).

declare module '@tiptap/core' {
	interface Commands<ReturnType> {
		endnote: {
			/** Insert an endnote reference at the cursor (with its note's text); its number follows from its place in the text. */
			insertEndnote: (note?: string) => ReturnType;
			/** Replace the whole text of the endnote with this id (the Notes panel edits it in place instead). */
			setEndnoteText: (id: string, note: string) => ReturnType;
		};
	}
}

export interface EndnoteEntry {
	id: string;
	/** Unique among the entries: the id, or for a later copy of an id (before it is repaired) the id and its number. */
	key: string;
	number: number;
	/** The note's text (its content, or the legacy `note` attribute of a schema-3 node). */
	note: string;
	pos: number;
	/** A schema-3 node: no content, the text in the `note` attribute. */
	legacy: boolean;
}

/** Whether an endnote node is in the schema-3 form (its text in `note`, no content). */
export function isLegacyEndnote(node: PmNode): boolean {
	return node.childCount === 0 && node.attrs.note != null;
}

/** The text of an endnote node, either form. */
export function endnoteText(node: PmNode): string {
	return isLegacyEndnote(node) ? String(node.attrs.note) : node.textContent;
}

const entriesCache = new WeakMap<PmNode, EndnoteEntry[]>();
/** The endnotes inside one top-level node: the node, position relative to the top-level node's start. */
type LocalEndnote = { node: PmNode; offset: number };
const localCache = new WeakMap<PmNode, LocalEndnote[]>();
const NO_ENDNOTES: LocalEndnote[] = [];

/**
 * The endnotes of one top-level node, kept per node: an edit replaces only the top-level node it is in
 * (ProseMirror shares the others between the two documents), so after a keystroke only that node is
 * searched again, not the whole document.
 */
function localEndnotes(block: PmNode): LocalEndnote[] {
	const cached = localCache.get(block);
	if (cached) return cached;
	const found: LocalEndnote[] = [];
	if (block.type.name === 'endnote') found.push({ node: block, offset: 0 });
	else if (!block.isLeaf) {
		block.descendants((node, pos) => {
			if (node.type.name !== 'endnote') return true;
			found.push({ node, offset: pos + 1 });
			return false;
		});
	}
	const result = found.length ? found : NO_ENDNOTES;
	localCache.set(block, result);
	return result;
}

/** Every endnote of a document in text order, numbered 1..N, each with a unique key. */
export function endnotesOf(doc: PmNode): EndnoteEntry[] {
	const cached = entriesCache.get(doc);
	if (cached) return cached;
	const out: EndnoteEntry[] = [];
	const keys = new Set<string>();
	doc.forEach((block, blockPos) => {
		for (const { node, offset } of localEndnotes(block)) {
			const id = String(node.attrs.id ?? '');
			const number = out.length + 1;
			const key = keys.has(id) || !id ? `${id}#${number}` : id;
			keys.add(key);
			out.push({ id, key, number, note: endnoteText(node), pos: blockPos + offset, legacy: isLegacyEndnote(node) });
		}
	});
	entriesCache.set(doc, out);
	return out;
}

/** Whether some endnote of the document has no id or shares it with one before it (see `endnoteIdRepairs`). */
function endnoteIdsNeedRepair(doc: PmNode): boolean {
	const seen = new Set<string>();
	for (let i = 0; i < doc.childCount; i++) {
		for (const { node } of localEndnotes(doc.child(i))) {
			const id: unknown = node.attrs.id;
			if (typeof id !== 'string' || !id || seen.has(id)) return true;
			seen.add(id);
		}
	}
	return false;
}

/** Editor JSON of an endnote's note: its inline content (schema 4), or the legacy `note` attribute as text. */
export function endnoteContentJSON(node: JSONContent): JSONContent[] {
	if (node.content?.length) return node.content;
	const legacy = node.attrs?.note;
	return typeof legacy === 'string' && legacy ? [{ type: 'text', text: legacy }] : [];
}

/** Editor JSON with every endnote in the schema-4 form: a legacy `note` attribute becomes the content. */
export function normaliseEndnotesJSON(node: JSONContent): JSONContent {
	if (node.type === 'endnote') {
		if (node.attrs?.note == null) return node;
		const { note: _legacy, ...attrs } = node.attrs;
		const content = endnoteContentJSON(node);
		const out: JSONContent = { ...node, attrs };
		if (content.length) out.content = content;
		else delete out.content;
		return out;
	}
	if (!node.content) return node;
	let changed = false;
	const content = node.content.map((child) => {
		const next = normaliseEndnotesJSON(child);
		changed ||= next !== child;
		return next;
	});
	return changed ? { ...node, content } : node;
}

/**
 * Convert schema-3 endnotes (the text as the `note` attribute of the `endnote` element) in a document's
 * Yjs body: the text becomes the element's XmlText, the attribute is removed. Run by the server when it
 * loads a document, in one transaction every client receives, before any client gets the document (see
 * `upgradeLegacyParticipants` in interview/participants-node.ts for why there and then). Idempotent: an element that has no
 * `note` attribute is left alone, and one that already has content keeps it. Returns whether anything changed.
 */
/** Whether the body holds a schema-3 endnote (its text as the `note` attribute): read only, nothing changes. */
export function hasLegacyEndnotes(body: Y.XmlFragment): boolean {
	const visit = (parent: Y.XmlFragment | Y.XmlElement): boolean =>
		parent.toArray().some((child) => child instanceof Y.XmlElement && (child.nodeName === 'endnote' ? child.getAttribute('note') !== undefined : visit(child)));
	return visit(body);
}

export function upgradeLegacyEndnotes(body: Y.XmlFragment): boolean {
	let changed = false;
	const visit = (parent: Y.XmlFragment | Y.XmlElement) => {
		for (const child of parent.toArray()) {
			if (!(child instanceof Y.XmlElement)) continue;
			if (child.nodeName !== 'endnote') {
				visit(child);
				continue;
			}
			const legacy = child.getAttribute('note') as unknown;
			if (legacy === undefined) continue;
			if (child.length === 0 && typeof legacy === 'string' && legacy) child.insert(0, [new Y.XmlText(legacy)]);
			child.removeAttribute('note');
			changed = true;
		}
	};
	if (body.doc) body.doc.transact(() => visit(body), 'server');
	else visit(body);
	return changed;
}

/**
 * The endnotes whose id must change so that every endnote has its own: those without an id, and all but
 * one of each id. The one kept is the first in the text, or (`existed`) the first that was already there
 * before the change, so a pasted copy gets the new id, not the original. New ids are derived from the
 * document (`<id>-2`, `<id>-3`, `n-1`...), so several editors repairing the same document at once write
 * the same values.
 */
export function endnoteIdRepairs(doc: PmNode, existed?: (pos: number) => boolean): { pos: number; id: string }[] {
	const all: { pos: number; id: string | null }[] = [];
	doc.descendants((node, pos) => {
		if (node.type.name !== 'endnote') return true;
		all.push({ pos, id: typeof node.attrs.id === 'string' && node.attrs.id ? node.attrs.id : null });
		return false;
	});
	const taken = new Set(all.map((e) => e.id).filter((id): id is string => id !== null));
	const groups = new Map<string, typeof all>();
	for (const e of all) if (e.id !== null) groups.set(e.id, [...(groups.get(e.id) ?? []), e]);
	const repairs: { pos: number; id: string }[] = [];
	const fresh = (base: string) => {
		for (let k = 1; ; k++) {
			const id = `${base}-${k}`;
			if (!taken.has(id)) return taken.add(id), id;
		}
	};
	for (const [id, group] of groups) {
		if (group.length < 2) continue;
		const keep = (existed && group.find((e) => existed(e.pos))) || group[0];
		for (const e of group) if (e !== keep) repairs.push({ pos: e.pos, id: fresh(id) });
	}
	for (const e of all) if (e.id === null) repairs.push({ pos: e.pos, id: fresh('n') });
	return repairs.sort((a, b) => a.pos - b.pos);
}

function applyRepairs(tr: Transaction, repairs: { pos: number; id: string }[]): Transaction {
	for (const r of repairs) tr.setNodeAttribute(r.pos, 'id', r.id);
	return tr.setMeta('addToHistory', false);
}

const numbersKey = new PluginKey('endnoteNumbers');
const idsKey = new PluginKey('endnoteIds');

function numberDecorations(state: EditorState): DecorationSet {
	return DecorationSet.create(
		state.doc,
		endnotesOf(state.doc).map((e) => Decoration.node(e.pos, e.pos + state.doc.nodeAt(e.pos)!.nodeSize, { 'data-number': String(e.number) }))
	);
}

/**
 * Keeps endnote ids unique. A local change (a paste or drop UniqueID did not see as one) is repaired in the
 * same dispatch, the copy getting the new id. A change from another client (a Yjs client may write
 * anything) is repaired right after it has been applied: y-prosemirror writes nothing to Yjs while it is
 * applying a remote change, so the repair is its own transaction, a microtask later. Read-only editors
 * never repair (their updates are dropped).
 */
function uniqueIdsPlugin(): Plugin {
	let scheduled = false;
	return new Plugin({
		key: idsKey,
		appendTransaction(trs, oldState, newState) {
			if (!trs.some((tr) => tr.docChanged) || trs.some((tr) => isChangeOrigin(tr))) return null;
			if (!endnoteIdsNeedRepair(newState.doc)) return null; // the usual case, without walking the document
			const mapping = new Mapping();
			for (const tr of trs) mapping.appendMapping(tr.mapping);
			const survivors = new Set<number>();
			oldState.doc.descendants((node, pos) => {
				if (node.type.name !== 'endnote') return true;
				const mapped = mapping.mapResult(pos, 1);
				if (!mapped.deletedAfter) survivors.add(mapped.pos);
				return false;
			});
			const repairs = endnoteIdRepairs(newState.doc, (pos) => survivors.has(pos));
			return repairs.length ? applyRepairs(newState.tr, repairs) : null;
		},
		view: () => ({
			update(view: EditorView, prev: EditorState) {
				if (view.state.doc === prev.doc || scheduled || !view.editable || !endnoteIdsNeedRepair(view.state.doc)) return;
				scheduled = true;
				queueMicrotask(() => {
					scheduled = false;
					if (view.isDestroyed || !view.editable) return;
					const repairs = endnoteIdRepairs(view.state.doc);
					if (repairs.length) view.dispatch(applyRepairs(view.state.tr, repairs));
				});
			}
		})
	});
}

/** The inline content of a pasted `sup[data-endnote]`: its `.endnote-text` (schema 4) or its `data-note` (schema 3). */
function legacyNoteContent(el: HTMLElement, schema: Schema): Fragment {
	const note = el.getAttribute('data-note') ?? '';
	return note ? Fragment.from(schema.text(note)) : Fragment.empty;
}

/**
 * An endnote: its reference `[n]` in the text, holding the note's text as content. Numbers are never
 * stored: they are the note's place in the text, so they are 1..N after any insertion, move or deletion
 * by anyone.
 */
export const Endnote = Node.create({
	name: 'endnote',
	group: 'inline',
	inline: true,
	content: 'text*',
	marks: 'italic',
	atom: true,
	selectable: true,
	addAttributes() {
		return {
			id: { default: null, parseHTML: (el) => el.getAttribute('data-id'), renderHTML: (a) => (a.id ? { 'data-id': a.id } : {}) },
			// Schema 3's text (legacy documents only, until converted). Kept in the schema so such a document
			// reads and round-trips; new endnotes never set it.
			note: { default: null, parseHTML: () => null, renderHTML: () => ({}) },
			/** Only set when rendering outside the editor: the printed number. */
			number: { default: null, parseHTML: () => null, renderHTML: (a) => (a.number ? { 'data-number': String(a.number) } : {}) }
		};
	},
	parseHTML() {
		return [
			// schema 4 (and what the editor copies): the note's text in its `.endnote-text` span
			{ tag: 'sup[data-endnote]', priority: 60, getAttrs: (el) => (el.querySelector('.endnote-text') ? null : false), contentElement: '.endnote-text' },
			// schema 3: the text in `data-note`
			{ tag: 'sup[data-endnote]', getContent: (el, schema) => legacyNoteContent(el as HTMLElement, schema) }
		];
	},
	renderHTML({ HTMLAttributes, node }) {
		const attrs = mergeAttributes(HTMLAttributes, { 'data-endnote': '', class: 'endnote-ref' });
		const n = node.attrs.number;
		// printed: the number only (the Notes section holds the text); otherwise the text travels with it
		return n ? ['sup', attrs, `[${n}]`] : ['sup', attrs, ['span', { class: 'endnote-text' }, 0]];
	},
	renderText({ node }) {
		return node.attrs.number ? `[${node.attrs.number}]` : '';
	},
	addNodeView() {
		return ({ node }) => {
			const dom = document.createElement('sup');
			dom.className = 'endnote-ref';
			dom.contentEditable = 'false';
			dom.setAttribute('data-endnote', '');
			const show = (n: PmNode) => {
				if (n.attrs.id) dom.setAttribute('data-id', String(n.attrs.id));
				else dom.removeAttribute('data-id');
				dom.setAttribute('data-note', endnoteText(n));
				dom.title = endnoteText(n);
			};
			show(node);
			return {
				dom,
				update: (next: PmNode) => {
					if (next.type !== node.type) return false;
					show(next);
					return true;
				},
				ignoreMutation: () => true
			};
		};
	},
	addProseMirrorPlugins() {
		return [
			new Plugin({
				key: numbersKey,
				state: {
					init: (_, state) => numberDecorations(state),
					apply: (tr, old, _o, newState) => (tr.docChanged ? numberDecorations(newState) : old)
				},
				props: { decorations: (state) => numbersKey.getState(state) }
			}),
			uniqueIdsPlugin()
		];
	},
	addCommands() {
		return {
			insertEndnote:
				(note = '') =>
				({ chain }) =>
					// the id comes from UniqueID (extensions.ts)
					chain()
						.insertContent({ type: this.name, ...(note ? { content: [{ type: 'text', text: note }] } : {}) })
						.run(),
			setEndnoteText:
				(id, note) =>
				({ state, tr, dispatch }) => {
					const entry = endnotesOf(state.doc).find((e) => e.id === id);
					if (!entry) return false;
					if (dispatch) {
						const node = state.doc.nodeAt(entry.pos)!;
						tr.replaceWith(entry.pos + 1, entry.pos + 1 + node.content.size, note ? state.schema.text(note) : Fragment.empty);
						if (node.attrs.note != null) tr.setNodeAttribute(entry.pos, 'note', null);
					}
					return true;
				}
		};
	},
	addKeyboardShortcuts() {
		return { 'Mod-Alt-n': ({ editor }) => editor.commands.insertEndnote('') };
	}
});
