import type { Editor } from '@tiptap/core';
import { EditorState, type Transaction } from '@tiptap/pm/state';
import { EditorView } from '@tiptap/pm/view';
import { StepMap } from '@tiptap/pm/transform';
import { keymap } from '@tiptap/pm/keymap';
import { toggleMark } from '@tiptap/pm/commands';
import type { Node as PmNode } from '@tiptap/pm/model';
import { endnotesOf, isLegacyEndnote, type EndnoteEntry } from './endnote';

const FROM_EDITOR = 'endnoteFieldFromEditor';

/** The endnote as the field shows it: the node itself, or for a schema-3 node one holding its `note` as text. */
function shownNode(node: PmNode): PmNode {
	if (!isLegacyEndnote(node) || !node.attrs.note) return node;
	return node.type.create(node.attrs, node.type.schema.text(String(node.attrs.note)));
}

/**
 * The text of one endnote, typed with a normal caret outside the main editor (the Notes panel): a small
 * ProseMirror view whose document is the `endnote` node itself (the ProseMirror footnote example). Its
 * steps are applied to that node in the main editor, so the note's text changes as text (Yjs merges two
 * people typing in one note), undo is the main editor's (Mod-Z here undoes there), and whatever others
 * change in the note is brought into the field, the caret kept where it was. The note is found by its key
 * (`endnotesOf`): its id, unique once repaired.
 */
export class EndnoteField {
	readonly view: EditorView;
	private editable: boolean;
	private label: string;

	constructor(
		mount: HTMLElement,
		private readonly editor: Editor,
		readonly key: string,
		opts: { label: string; editable?: boolean }
	) {
		this.label = opts.label;
		this.editable = opts.editable ?? true;
		const entry = this.entry();
		const node = entry ? shownNode(editor.state.doc.nodeAt(entry.pos)!) : editor.schema.nodes.endnote.create();
		const history = (name: 'undo' | 'redo') => () => {
			const command = (editor.commands as unknown as Record<string, (() => boolean) | undefined>)[name];
			return command ? command() : false;
		};
		this.view = new EditorView(mount, {
			state: EditorState.create({
				doc: node,
				plugins: [
					keymap({
						'Mod-z': history('undo'),
						'Mod-y': history('redo'),
						'Shift-Mod-z': history('redo'),
						'Mod-i': toggleMark(editor.schema.marks.italic),
						Enter: () => true // one paragraph of text: nothing to split
					})
				]
			}),
			editable: () => this.editable,
			attributes: () => this.attributes(),
			dispatchTransaction: (tr) => this.dispatchInner(tr)
		});
		editor.on('transaction', this.sync);
	}

	private attributes(): Record<string, string> {
		return { class: 'note-field', role: 'textbox', 'aria-multiline': 'false', 'aria-label': this.label, spellcheck: 'true' };
	}

	/** The note this field edits in the main editor's current document, if it is still there. */
	entry(): EndnoteEntry | undefined {
		return endnotesOf(this.editor.state.doc).find((e) => e.key === this.key);
	}

	setLabel(label: string): void {
		if (label === this.label) return;
		this.label = label;
		this.view.setProps({});
	}

	setEditable(editable: boolean): void {
		if (editable === this.editable) return;
		this.editable = editable;
		this.view.setProps({});
	}

	/** A change typed in the field: applied here, and as the same steps to the note in the main editor. */
	private dispatchInner(tr: Transaction): void {
		this.view.updateState(this.view.state.apply(tr));
		if (!tr.docChanged || tr.getMeta(FROM_EDITOR)) return;
		const entry = this.entry();
		if (!entry || !this.editor.isEditable) return this.sync();
		const outer = this.editor.state.tr;
		const node = this.editor.state.doc.nodeAt(entry.pos)!;
		if (isLegacyEndnote(node)) {
			// the first edit of a schema-3 note (not converted by the server yet) converts it
			if (node.attrs.note) outer.insert(entry.pos + 1, this.editor.schema.text(String(node.attrs.note)));
			outer.setNodeAttribute(entry.pos, 'note', null);
		}
		try {
			const offset = StepMap.offset(entry.pos + 1);
			for (const step of tr.steps) {
				const mapped = step.map(offset);
				if (mapped) outer.step(mapped);
			}
		} catch {
			return this.sync(); // the note changed under the field: show it as it is
		}
		this.editor.view.dispatch(outer);
	}

	/** Bring the note's current content into the field (others' typing, undo), keeping the caret. */
	private sync = (): void => {
		if (this.view.isDestroyed) return;
		const entry = this.entry();
		if (!entry) return;
		const target = shownNode(this.editor.state.doc.nodeAt(entry.pos)!);
		const state = this.view.state;
		const start = target.content.findDiffStart(state.doc.content);
		if (start == null) return;
		let { a: endA, b: endB } = target.content.findDiffEnd(state.doc.content)!;
		const overlap = start - Math.min(endA, endB);
		if (overlap > 0) {
			endA += overlap;
			endB += overlap;
		}
		this.view.dispatch(state.tr.replace(start, endB, target.slice(start, endA)).setMeta(FROM_EDITOR, true));
	};

	destroy(): void {
		this.editor.off('transaction', this.sync);
		this.view.destroy();
	}
}
