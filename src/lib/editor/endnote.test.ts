// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateHTML, generateJSON, type Editor, type JSONContent } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { editorExtensions } from './extensions';
import { endnotesOf, normaliseEndnotesJSON, upgradeLegacyEndnotes } from './endnote';
import { EndnoteField } from './endnote-field';
import { useCollaborativeEditors } from '../../../tests/support/collaborative-editors';
import { projectContent } from './projection';
import { renderHTML, renderMarkdown } from '../server/content/render';
import { BODY_FRAGMENT, jsonFromYDoc, jsonFromYjsState, yjsStateFromJSON } from '../server/content/document';
import { legacyEndnoteState } from '../../../tests/support/legacy-endnotes';

// Endnotes, editor schema 4: the note's text is the `endnote` node's content (an XmlText in Yjs), so
// concurrent typing merges; ids are unique (UniqueID, repaired on paste and when a client writes copies).

const collaborativeEditor = useCollaborativeEditors();

const text = (t: string): JSONContent => ({ type: 'text', text: t });
const note = (id: string, body: string): JSONContent => ({ type: 'endnote', attrs: { id }, content: body ? [text(body)] : [] });
const doc = (...inline: JSONContent[]): JSONContent => ({ type: 'doc', content: [{ type: 'paragraph', content: inline }] });

function exchange(a: Y.Doc, b: Y.Doc) {
	const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
	const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
	Y.applyUpdate(b, fromA);
	Y.applyUpdate(a, fromB);
}
const docFrom = (state: Uint8Array) => {
	const d = new Y.Doc();
	Y.applyUpdate(d, state);
	return d;
};
const endnoteElements = (d: Y.Doc): Y.XmlElement[] => {
	const out: Y.XmlElement[] = [];
	const visit = (el: Y.XmlFragment | Y.XmlElement) =>
		el.toArray().forEach((c) => {
			if (!(c instanceof Y.XmlElement)) return;
			if (c.nodeName === 'endnote') out.push(c);
			else visit(c);
		});
	visit(d.getXmlFragment(BODY_FRAGMENT));
	return out;
};
const ids = (editor: Editor) => endnotesOf(editor.state.doc).map((e) => e.id);
const notes = (editor: Editor) => endnotesOf(editor.state.doc).map((e) => e.note);
const settle = () => new Promise<void>((r) => setTimeout(r, 0));

function legacyState(): Uint8Array {
	return legacyEndnoteState(['Claim. ', { id: 'n-old1', note: 'Varesh Daily, March 12.' }, ' Another. ', { id: 'n-old2', note: '' }]);
}

/** Type `typed` into the field at `at` (a position in the note's text), as a keystroke would. */
function typeInto(field: EndnoteField, at: number, typed: string) {
	const { state } = field.view;
	field.view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, at)).insertText(typed));
}

describe('endnote schema 4: the note is the node’s text', () => {
	it('stores the note as an XmlText inside the endnote element, and every reader reads it', async () => {
		const json = doc(text('First claim. '), note('b', 'Second written, first in text.'), text(' Second claim. '), note('a', 'Another.'));
		const state = yjsStateFromJSON(json);
		const [first] = endnoteElements(docFrom(state));
		expect(first.getAttribute('note')).toBeUndefined();
		expect(first.toArray().map((c) => (c instanceof Y.XmlText ? c.toString() : '?'))).toEqual(['Second written, first in text.']);

		const editor = collaborativeEditor(docFrom(state));
		expect(endnotesOf(editor.state.doc).map((e) => [e.number, e.id, e.note])).toEqual([
			[1, 'b', 'Second written, first in text.'],
			[2, 'a', 'Another.']
		]);
		const back = jsonFromYjsState(state);
		const md = renderMarkdown(back);
		expect(md).toContain('First claim. [1] Second claim. [2]');
		expect(md).toContain('## Notes\n\n[1] Second written, first in text.\n\n[2] Another.');
		expect(await renderHTML(back)).toContain('<p>[2] Another.</p>');
		expect(await renderHTML(back)).not.toContain('Another.</span>'); // the printed reference holds its number only
		expect(projectContent(back).endnotes).toEqual([
			{ number: 1, noteId: 'b', text: 'Second written, first in text.' },
			{ number: 2, noteId: 'a', text: 'Another.' }
		]);
		expect(projectContent(back).qa).toEqual([]);
	});

	it('prints an italic title inside a note, and the note’s text never leaks into the paragraph', () => {
		const json = doc(text('Claim.'), { type: 'endnote', attrs: { id: 'x' }, content: [text('See '), { type: 'text', text: 'Sorrin', marks: [{ type: 'italic' }] }, text(', June 4.')] });
		const md = renderMarkdown(json);
		expect(md).toBe('Claim.[1]\n\n## Notes\n\n[1] See *Sorrin*, June 4.\n');
	});

	it('round-trips through HTML (the clipboard) with its text; schema-3 HTML (`data-note`) is read into content', () => {
		const json = doc(text('a'), note('n1', 'The note.'));
		const html = generateHTML(json, editorExtensions);
		expect(html).toContain('<span class="endnote-text">The note.</span>');
		const back = generateJSON(html, editorExtensions);
		expect(back.content[0].content[1]).toMatchObject({ type: 'endnote', attrs: { id: 'n1' }, content: [text('The note.')] });
		const legacy = generateJSON('<p>a<sup data-endnote data-id="n2" data-note="Old note."></sup></p>', editorExtensions);
		expect(legacy.content[0].content[1]).toMatchObject({ type: 'endnote', attrs: { id: 'n2', note: null }, content: [text('Old note.')] });
	});
});

describe('schema-3 endnotes (the text as the `note` attribute)', () => {
	it('are read by the editor, the JSON, the print form and the projections before they are converted', () => {
		const editor = collaborativeEditor(docFrom(legacyState()));
		expect(endnotesOf(editor.state.doc).map((e) => [e.note, e.legacy])).toEqual([
			['Varesh Daily, March 12.', true],
			['', true]
		]);
		const json = jsonFromYjsState(legacyState());
		expect(json.content![0].content![1]).toEqual({ type: 'endnote', attrs: { id: 'n-old1' }, content: [text('Varesh Daily, March 12.')] });
		expect(json.content![0].content![3]).toEqual({ type: 'endnote', attrs: { id: 'n-old2' } });
		expect(renderMarkdown(json)).toBe('Claim. [1] Another. [2]\n\n## Notes\n\n[1] Varesh Daily, March 12.\n\n[2]\n');
		// raw legacy JSON (as y-prosemirror yields it) prints and projects the same
		const raw = doc(text('Claim. '), { type: 'endnote', attrs: { id: 'n-old1', note: 'Varesh Daily, March 12.' } });
		expect(renderMarkdown(raw)).toContain('[1] Varesh Daily, March 12.');
		expect(projectContent(raw).endnotes).toEqual([{ number: 1, noteId: 'n-old1', text: 'Varesh Daily, March 12.' }]);
		expect(normaliseEndnotesJSON(raw)).toEqual(doc(text('Claim. '), note('n-old1', 'Varesh Daily, March 12.')));
	});

	it('are converted on load in one transaction, once; connected editors then see the text as content', () => {
		const server = docFrom(legacyState());
		const updates: Uint8Array[] = [];
		server.on('update', (u: Uint8Array) => updates.push(u));
		expect(upgradeLegacyEndnotes(server.getXmlFragment(BODY_FRAGMENT))).toBe(true);
		expect(updates).toHaveLength(1);
		const [first, second] = endnoteElements(server);
		expect(first.getAttributes()).toEqual({ id: 'n-old1' });
		expect(first.toString()).toBe('<endnote id="n-old1">Varesh Daily, March 12.</endnote>');
		expect(second.length).toBe(0);
		expect(upgradeLegacyEndnotes(server.getXmlFragment(BODY_FRAGMENT))).toBe(false); // idempotent
		expect(updates).toHaveLength(1);

		const client = new Y.Doc();
		const editor = collaborativeEditor(client);
		exchange(server, client);
		expect(endnotesOf(editor.state.doc).map((e) => [e.note, e.legacy])).toEqual([
			['Varesh Daily, March 12.', false],
			['', false]
		]);
		expect(renderMarkdown(jsonFromYDoc(client))).toBe('Claim. [1] Another. [2]\n\n## Notes\n\n[1] Varesh Daily, March 12.\n\n[2]\n');
	});

	it('a note typed in the field before the server converted it is converted by that edit, its text kept', () => {
		const d = docFrom(legacyState());
		const editor = collaborativeEditor(d);
		const [entry] = endnotesOf(editor.state.doc);
		const field = new EndnoteField(document.createElement('div'), editor, entry.key, { label: '[1]' });
		expect(field.view.state.doc.textContent).toBe('Varesh Daily, March 12.');
		typeInto(field, 'Varesh Daily, March 12'.length, ', 2021');
		expect(notes(editor)).toEqual(['Varesh Daily, March 12, 2021.', '']);
		expect(endnoteElements(d)[0].getAttribute('note')).toBeUndefined();
		expect(endnoteElements(d)[0].toString()).toBe('<endnote id="n-old1">Varesh Daily, March 12, 2021.</endnote>');
		field.destroy();
	});
});

describe('typing a note in the Notes panel field', () => {
	it('two people typing in one note at once both keep their words', () => {
		const start = yjsStateFromJSON(doc(text('Claim.'), note('n1', 'Reported by Varesh Daily.')));
		const a = docFrom(start);
		const b = docFrom(start);
		const editorA = collaborativeEditor(a);
		const editorB = collaborativeEditor(b);
		const fieldA = new EndnoteField(document.createElement('div'), editorA, 'n1', { label: '[1]' });
		const fieldB = new EndnoteField(document.createElement('div'), editorB, 'n1', { label: '[1]' });
		// A types at the start, B at the end, keystroke by keystroke, before either sees the other
		for (const [i, ch] of [...'Kessler: '].entries()) typeInto(fieldA, i, ch);
		for (const [i, ch] of [...' March 12'].entries()) typeInto(fieldB, 'Reported by Varesh Daily'.length + i, ch);
		exchange(a, b);
		const expected = 'Kessler: Reported by Varesh Daily March 12.';
		expect(notes(editorA)).toEqual([expected]);
		expect(notes(editorB)).toEqual([expected]);
		// each field shows the merged text, and typing goes on where its caret was
		expect(fieldA.view.state.doc.textContent).toBe(expected);
		expect(fieldB.view.state.doc.textContent).toBe(expected);
		expect(fieldB.view.state.selection.from).toBe('Kessler: Reported by Varesh Daily March 12'.length);
		expect(renderMarkdown(jsonFromYDoc(a))).toContain(`[1] ${expected}`);
		fieldA.destroy();
		fieldB.destroy();
	});

	it('the main editor’s undo takes back what was typed in the field; deleting the reference deletes its note, and undo brings both back', () => {
		const d = docFrom(yjsStateFromJSON(doc(text('Claim.'), note('n1', 'Text'))));
		const editor = collaborativeEditor(d);
		const field = new EndnoteField(document.createElement('div'), editor, 'n1', { label: '[1]' });
		typeInto(field, 4, ' typed');
		expect(notes(editor)).toEqual(['Text typed']);
		editor.commands.undo();
		expect(notes(editor)).toEqual(['Text']);
		expect(field.view.state.doc.textContent).toBe('Text');

		const [entry] = endnotesOf(editor.state.doc);
		editor.view.dispatch(editor.state.tr.delete(entry.pos, entry.pos + editor.state.doc.nodeAt(entry.pos)!.nodeSize));
		expect(endnotesOf(editor.state.doc)).toEqual([]);
		expect(renderMarkdown(jsonFromYDoc(d))).toBe('Claim.\n');
		editor.commands.undo();
		expect(endnotesOf(editor.state.doc).map((e) => [e.id, e.note])).toEqual([['n1', 'Text']]);
		field.destroy();
	});
});

describe('endnote ids', () => {
	it('a new endnote gets an id from UniqueID, not Math.random', () => {
		const editor = collaborativeEditor(new Y.Doc());
		editor.commands.insertContent('Claim.');
		editor.commands.insertEndnote('A note.');
		editor.commands.insertEndnote();
		const [first, second] = endnotesOf(editor.state.doc);
		expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(second.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(first.id).not.toBe(second.id);
		expect(first.note).toBe('A note.');
	});

	it('copy and paste of a note makes two notes with two ids (the original keeps its id), and the panel’s keys never repeat', () => {
		const d = docFrom(yjsStateFromJSON(doc(text('Claim.'), note('n1', 'The note.'), text(' Later.'))));
		const editor = collaborativeEditor(d);
		const [entry] = endnotesOf(editor.state.doc);
		// copy: the note selected, serialised as the browser's clipboard gets it
		const size = editor.state.doc.nodeAt(entry.pos)!.nodeSize;
		const { dom } = editor.view.serializeForClipboard(editor.state.doc.slice(entry.pos, entry.pos + size));
		// paste before the original and at the end
		editor.commands.setTextSelection(1);
		editor.view.pasteHTML(dom.innerHTML);
		editor.commands.setTextSelection(editor.state.doc.content.size - 1);
		editor.view.pasteHTML(dom.innerHTML);
		const all = endnotesOf(editor.state.doc);
		expect(all.map((e) => e.note)).toEqual(['The note.', 'The note.', 'The note.']);
		expect(new Set(all.map((e) => e.id)).size).toBe(3);
		expect(all[1].id).toBe('n1'); // the original, now second in the text
		expect(new Set(all.map((e) => e.key)).size).toBe(3);
		// and in the stored document
		expect(new Set(endnoteElements(d).map((e) => e.getAttribute('id'))).size).toBe(3);
	});

	it('a paste event (what the browser fires) gives the pasted note a fresh id', () => {
		const editor = collaborativeEditor(new Y.Doc());
		editor.commands.setContent(doc(text('Claim.'), note('n1', 'The note.')));
		// what the browser's copy of the selected note put on the clipboard
		const [entry] = endnotesOf(editor.state.doc);
		const html = editor.view.serializeForClipboard(editor.state.doc.slice(entry.pos, entry.pos + editor.state.doc.nodeAt(entry.pos)!.nodeSize)).dom.innerHTML;
		const event = new Event('paste', { bubbles: true, cancelable: true }) as ClipboardEvent;
		Object.defineProperty(event, 'clipboardData', { value: { getData: (type: string) => (type === 'text/html' ? html : ''), types: ['text/html'], files: [] } });
		editor.commands.setTextSelection(1);
		editor.view.dom.dispatchEvent(event);
		expect(notes(editor)).toEqual(['The note.', 'The note.']);
		expect(new Set(ids(editor)).size).toBe(2);
		expect(ids(editor)[1]).toBe('n1');
	});

	it('a Yjs client writing two endnotes with one id is repaired by the editors, who agree on the new id', async () => {
		const shared = new Y.Doc();
		const a = new Y.Doc();
		const b = new Y.Doc();
		const editorA = collaborativeEditor(a);
		const editorB = collaborativeEditor(b);
		// a raw client writes two notes with one id (and one without any)
		const paragraph = new Y.XmlElement('paragraph');
		const endnote = (id: string | null, body: string) => {
			const el = new Y.XmlElement('endnote');
			if (id) el.setAttribute('id', id);
			el.insert(0, [new Y.XmlText(body)]);
			return el;
		};
		paragraph.insert(0, [new Y.XmlText('x'), endnote('dup', 'one'), endnote('dup', 'two'), endnote(null, 'three')]);
		shared.getXmlFragment(BODY_FRAGMENT).insert(0, [paragraph]);
		exchange(shared, a);
		exchange(shared, b);
		// the panel's keyed list never sees a duplicate, even before the repair
		expect(new Set(endnotesOf(editorA.state.doc).map((e) => e.key)).size).toBe(3);
		await settle();
		expect(ids(editorA)).toEqual(['dup', 'dup-1', 'n-1']);
		expect(ids(editorB)).toEqual(['dup', 'dup-1', 'n-1']);
		exchange(a, shared);
		exchange(b, shared);
		exchange(a, b);
		await settle();
		expect(endnoteElements(shared).map((e) => e.getAttribute('id'))).toEqual(['dup', 'dup-1', 'n-1']);
		expect(notes(editorA)).toEqual(['one', 'two', 'three']);
	});

	it('a read-only editor does not repair (its updates would be dropped)', async () => {
		const d = new Y.Doc();
		const editor = collaborativeEditor(d);
		editor.setEditable(false);
		const other = docFrom(yjsStateFromJSON(doc(text('x'), note('dup', 'one'), note('dup', 'two'))));
		exchange(other, d);
		await settle();
		expect(ids(editor)).toEqual(['dup', 'dup']);
		expect(endnotesOf(editor.state.doc).map((e) => e.key)).toEqual(['dup', 'dup#2']);
	});
});
