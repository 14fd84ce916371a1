// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Editor, type JSONContent } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import { editorExtensions } from './extensions';
import { SectionRights, refreshSectionRights, type SectionAssignee } from './section-rights';
import { BODY_FRAGMENT, yjsStateFromJSON } from '../server/content/document';

const p = (text: string): JSONContent => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const h = (level: number, id: string, text: string): JSONContent => ({ type: 'heading', attrs: { level, id }, content: [{ type: 'text', text }] });
const ARTICLE: JSONContent = { type: 'doc', content: [p('Opening.'), h(2, 'sec-ferry', 'The ferry'), p('Ferry one.'), h(2, 'sec-dam', 'The dam'), p('Dam one.')] };

const editors: Editor[] = [];
afterEach(() => editors.splice(0).forEach((e) => e.destroy()));

/** A headless editor bound to `doc` (as the browser binds it), writing only in `sections` (null: anywhere). */
function sectionEditor(doc: Y.Doc, sections: string[] | null, assignees: Record<string, SectionAssignee[]> = {}, onAssign: ((s: { id: string; title: string }) => void) | null = null) {
	const editor = new Editor({
		element: document.createElement('div'),
		extensions: [...editorExtensions, Collaboration.configure({ document: doc, field: BODY_FRAGMENT }), SectionRights.configure({ sections: () => sections, assignees: () => assignees, onAssign })]
	});
	editors.push(editor);
	return editor;
}

function docWithArticle(): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, yjsStateFromJSON(ARTICLE));
	return doc;
}

const texts = (editor: Editor) => (editor.getJSON().content ?? []).map((n) => (n.content ?? []).map((t) => (t as { text?: string }).text).join(''));
/** Position just inside the start of top-level block `i`. */
const inside = (editor: Editor, i: number) => {
	let pos = 0;
	for (let k = 0; k < i; k++) pos += editor.state.doc.child(k).nodeSize;
	return pos + 1;
};

describe('the section filter in the browser', () => {
	it('lets a section author type, delete and start a new paragraph inside their section', () => {
		const editor = sectionEditor(docWithArticle(), ['sec-ferry']);
		editor.chain().setTextSelection(inside(editor, 2)).insertContent('Now: ').run();
		editor.chain().setTextSelection({ from: inside(editor, 2), to: inside(editor, 2) + 5 }).deleteSelection().run();
		const endOfFerry = inside(editor, 2) + editor.state.doc.child(2).content.size;
		editor.chain().setTextSelection(endOfFerry).splitBlock().insertContent('Ferry two.').run();
		expect(texts(editor)).toEqual(['Opening.', 'The ferry', 'Ferry one.', 'Ferry two.', 'The dam', 'Dam one.']);
	});

	it('makes keystrokes outside the section do nothing: the heading, before the first heading, another section, a join into the heading, a same-level heading', () => {
		const editor = sectionEditor(docWithArticle(), ['sec-ferry']);
		const before = texts(editor);
		editor.chain().setTextSelection(inside(editor, 1)).insertContent('Re: ').run(); // the section's heading
		editor.chain().setTextSelection(inside(editor, 0)).insertContent('X').run(); // before the first heading
		editor.chain().setTextSelection(inside(editor, 4)).insertContent('X').run(); // the other section
		editor.chain().setTextSelection(inside(editor, 2)).joinBackward().run(); // Backspace at the section's start
		editor.chain().setTextSelection({ from: inside(editor, 2), to: inside(editor, 4) }).deleteSelection().run(); // across the next heading
		editor.chain().setTextSelection(inside(editor, 2)).setNode('heading', { level: 2 }).run(); // would end the section
		editor.chain().setTextSelection(inside(editor, 4)).toggleBold().insertContent('bold').run();
		expect(texts(editor)).toEqual(before);
		// a subheading inside is fine
		editor.chain().setTextSelection(inside(editor, 2)).setNode('heading', { level: 3 }).run();
		expect(editor.getJSON().content![2]).toMatchObject({ type: 'heading', attrs: { level: 3 } });
	});

	it('lets others’ changes through everywhere (remote y-sync transactions are never filtered)', () => {
		const mine = docWithArticle();
		const editor = sectionEditor(mine, ['sec-ferry']);
		const theirs = new Y.Doc();
		Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine));
		const sv = Y.encodeStateVector(theirs);
		((theirs.getXmlFragment(BODY_FRAGMENT).get(4) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Editor: ');
		Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs, sv));
		expect(texts(editor)[4]).toBe('Editor: Dam one.');
	});

	it('does not restrict someone with the whole piece', () => {
		const editor = sectionEditor(docWithArticle(), null);
		editor.chain().setTextSelection(inside(editor, 0)).insertContent('X').run();
		expect(texts(editor)[0]).toBe('XOpening.');
	});

	it('dims the rest, outlines the section, shows the assignees beside their headings and the editor’s Assign… button', () => {
		const assignees = { 'sec-ferry': [{ name: 'Anneli Varga', role: 'author' }], 'sec-dam': [{ name: 'Tomas Reed', role: 'reviewer' }] };
		const editor = sectionEditor(docWithArticle(), ['sec-ferry'], assignees);
		const dom = editor.view.dom;
		expect([...dom.children].filter((el) => !el.classList.contains('section-assignees')).map((el) => ['section-outside', 'section-heading-mine', 'section-writable'].find((c) => el.classList.contains(c)))).toEqual([
			'section-outside',
			'section-heading-mine',
			'section-writable',
			'section-outside',
			'section-outside'
		]);
		expect([...dom.querySelectorAll('.section-assignees')].map((el) => el.textContent)).toEqual(['Anneli Varga', 'Tomas Reed (reviewer)']);
		expect(dom.querySelector('.section-assign')).toBeNull();

		const asked: string[] = [];
		const editorsView = sectionEditor(docWithArticle(), null, {}, (s) => asked.push(`${s.id}:${s.title}`));
		const buttons = [...editorsView.view.dom.querySelectorAll<HTMLButtonElement>('.section-assign')];
		expect(buttons).toHaveLength(2);
		buttons[1].click();
		expect(asked).toEqual(['sec-dam:The dam']);
		expect(editorsView.view.dom.querySelector('.section-outside')).toBeNull();
		assignees['sec-dam'].push({ name: 'Mara Holt', role: 'author' });
		editor.view.dispatch(refreshSectionRights(editor.state));
		expect(dom.querySelectorAll('.section-assignees')[1].textContent).toBe('Tomas Reed (reviewer), Mara Holt');
	});
});
