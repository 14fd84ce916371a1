// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Editor, generateHTML, generateJSON, type JSONContent } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import { editorExtensions } from './extensions';
import { participantsOf, upgradeLegacyParticipants } from './interview';
import { participantsFromJSON, participantsNodeJSON, type Participant } from './participants';
import { interviewContent } from './transcript-import';
import { parseTranscript } from '../domain/transcript';
import { renderMarkdown } from '../server/content/render';
import { BODY_FRAGMENT, jsonFromYDoc, jsonFromYjsState } from '../server/content/document';
import { BULLETIN_INTERVIEW_SPEAKERS, bulletinInterview, hasReferenceSample, referenceInterview } from '../../../tests/support/bulletin-issue';

// Documents stored before editor schema 3 keep the participants as one JSON attribute (`list`) of the
// `participants` element. They must read the same, convert once, and then merge like new ones.

const LEGACY: Participant[] = [
	{ id: 'p-interviewer', name: 'Basin Watch', label: 'BW', role: 'interviewer', contributorId: null },
	{ id: 'p-guest', name: 'Guest', label: 'G', role: 'interviewee', contributorId: 'c-old' }
];

/** A schema-2 Yjs state, written element by element as y-prosemirror wrote it then (`list` attribute, no children). */
function legacyState(list: unknown = LEGACY): Uint8Array {
	const doc = new Y.Doc();
	const body = doc.getXmlFragment(BODY_FRAGMENT);
	const participants = new Y.XmlElement('participants');
	participants.setAttribute('list', list as string);
	const qa = (speaker: string, kind: string, text: string) => {
		const el = new Y.XmlElement('qaBlock');
		el.setAttribute('kind', kind);
		el.setAttribute('speaker', speaker);
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [new Y.XmlText(text)]);
		el.insert(0, [p]);
		return el;
	};
	body.insert(0, [participants, qa('p-interviewer', 'question', 'Why?'), qa('p-guest', 'answer', 'Because.')]);
	return Y.encodeStateAsUpdate(doc);
}

const editors: Editor[] = [];
afterEach(() => editors.splice(0).forEach((e) => e.destroy()));
function collaborativeEditor(doc: Y.Doc): Editor {
	const editor = new Editor({ element: document.createElement('div'), extensions: [...editorExtensions, Collaboration.configure({ document: doc, field: 'body' })] });
	editors.push(editor);
	return editor;
}
const participantsElement = (doc: Y.Doc) => doc.getXmlFragment(BODY_FRAGMENT).get(0) as Y.XmlElement;
const childIds = (doc: Y.Doc) => participantsElement(doc).toArray().map((c) => (c as Y.XmlElement).getAttribute('id'));
function exchange(a: Y.Doc, b: Y.Doc) {
	const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
	const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
	Y.applyUpdate(b, fromA);
	Y.applyUpdate(a, fromB);
}

describe('legacy participants (schema 2: one `list` attribute)', () => {
	it('are read by the editor, the JSON, the print form and the projections as before', () => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, legacyState());
		const editor = collaborativeEditor(doc);
		expect(participantsOf(editor.state.doc)).toEqual(LEGACY);
		const json = jsonFromYjsState(legacyState());
		// The server's JSON is in the current form already.
		expect(json.content![0]).toEqual(participantsNodeJSON(LEGACY));
		expect(participantsFromJSON(json)).toEqual(LEGACY);
		expect(renderMarkdown(json)).toBe('BW: Why?\n\nG: Because.\n');
		// The raw legacy JSON (what y-prosemirror yields before the upgrade) reads the same.
		expect(participantsFromJSON({ type: 'doc', content: [{ type: 'participants', attrs: { list: LEGACY } }] })).toEqual(LEGACY);
	});

	/** The interview's Markdown when its participants are stored the legacy way. */
	function printedFromLegacy(text: string, speakers: Parameters<typeof interviewContent>[2]): string {
		const { participants, leadIn, blocks } = interviewContent(parseTranscript(text), [], speakers);
		const legacy: JSONContent = { type: 'doc', content: [{ type: 'participants', attrs: { list: participants } }, leadIn!, ...blocks] };
		return renderMarkdown(legacy).trim();
	}

	it('print the bulletin interview exactly, from a legacy document', () => {
		const text = bulletinInterview().trim();
		expect(printedFromLegacy(text, BULLETIN_INTERVIEW_SPEAKERS)).toBe(text.replace(/\n{2,}/g, '\n\n'));
	});

	it.runIf(hasReferenceSample)('print the interview of the reference sample exactly, from a legacy document (when the reference sample is present)', () => {
		const { text, labels } = referenceInterview();
		const speakers = { [labels[0]]: { name: 'Interviewer', role: 'interviewer' as const }, [labels[1]]: { name: 'Guest', role: 'interviewee' as const } };
		expect(printedFromLegacy(text.trim(), speakers)).toBe(text.trim().replace(/\n{2,}/g, '\n\n'));
	});

	it('are converted by the server on load, once; then concurrent edits of different participants merge', () => {
		const server = new Y.Doc();
		Y.applyUpdate(server, legacyState());
		expect(upgradeLegacyParticipants(server.getXmlFragment(BODY_FRAGMENT))).toBe(true);
		expect(participantsElement(server).getAttribute('list')).toBeUndefined();
		expect(childIds(server)).toEqual(['p-interviewer', 'p-guest']);
		expect(participantsElement(server).toArray().map((c) => (c as Y.XmlElement).getAttributes())).toEqual([
			{ id: 'p-interviewer', name: 'Basin Watch', label: 'BW', role: 'interviewer' },
			{ id: 'p-guest', name: 'Guest', label: 'G', role: 'interviewee', contributorId: 'c-old' }
		]);
		expect(upgradeLegacyParticipants(server.getXmlFragment(BODY_FRAGMENT))).toBe(false); // nothing left to do

		const a = new Y.Doc();
		const b = new Y.Doc();
		Y.applyUpdate(a, Y.encodeStateAsUpdate(server));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(server));
		const editorA = collaborativeEditor(a);
		const editorB = collaborativeEditor(b);
		expect(editorA.commands.updateParticipant('p-guest', { name: 'Anneli Varga' })).toBe(true);
		expect(editorB.commands.updateParticipant('p-interviewer', { label: 'MH' })).toBe(true);
		exchange(a, b);
		for (const editor of [editorA, editorB]) {
			expect(participantsOf(editor.state.doc).map((p) => [p.id, p.name, p.label, p.contributorId])).toEqual([
				['p-interviewer', 'Basin Watch', 'MH', null],
				['p-guest', 'Anneli Varga', 'G', 'c-old']
			]);
		}
	});

	it('are converted by a client’s first participants edit when the server has not converted them', () => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, legacyState());
		const editor = collaborativeEditor(doc);
		expect(editor.commands.updateParticipant('p-guest', { label: 'AV' })).toBe(true);
		expect(participantsElement(doc).getAttribute('list')).toBeUndefined();
		expect(childIds(doc)).toEqual(['p-interviewer', 'p-guest']);
		expect(participantsOf(editor.state.doc).map((p) => p.label)).toEqual(['BW', 'AV']);
		expect(renderMarkdown(jsonFromYDoc(doc))).toBe('BW: Why?\n\nAV: Because.\n');
	});

	it('converted twice at once (two copies), read each participant once; the next edit removes the duplicates', () => {
		const legacy = legacyState();
		const a = new Y.Doc();
		const b = new Y.Doc();
		Y.applyUpdate(a, legacy);
		Y.applyUpdate(b, legacy);
		const editorA = collaborativeEditor(a);
		const editorB = collaborativeEditor(b);
		expect(editorA.commands.updateParticipant('p-guest', { name: 'Anneli Varga' })).toBe(true);
		expect(upgradeLegacyParticipants(b.getXmlFragment(BODY_FRAGMENT))).toBe(true);
		exchange(a, b);
		expect(childIds(a)).toHaveLength(4);
		expect(participantsOf(editorA.state.doc).map((p) => p.id)).toEqual(participantsOf(editorB.state.doc).map((p) => p.id));
		expect(participantsOf(editorA.state.doc).map((p) => p.id).sort()).toEqual(['p-guest', 'p-interviewer']);
		expect(editorB.commands.updateParticipant('p-interviewer', { label: 'MH' })).toBe(true);
		exchange(a, b);
		expect(childIds(a)).toHaveLength(2);
		expect(childIds(b)).toHaveLength(2);
		expect(participantsOf(editorA.state.doc)).toEqual(participantsOf(editorB.state.doc));
	});
});

describe('participants in HTML', () => {
	it('round-trip through renderHTML and parseHTML', () => {
		const doc: JSONContent = {
			type: 'doc',
			content: [
				participantsNodeJSON(LEGACY),
				{ type: 'qaBlock', attrs: { id: 'q1', kind: 'question', speaker: 'p-interviewer', timestamp: null, label: null }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Why?' }] }] }
			]
		};
		const html = generateHTML(doc, editorExtensions);
		expect(html).toContain('data-participant="p-guest"');
		expect(html).toContain('data-contributor-id="c-old"');
		const back = generateJSON(html, editorExtensions);
		expect(participantsFromJSON(back)).toEqual(LEGACY);
		expect(back.content[0]).toEqual({ type: 'participants', attrs: { list: null }, content: participantsNodeJSON(LEGACY).content });
		expect(generateHTML(back, editorExtensions)).toBe(html);
	});

	it('read the legacy HTML form (the list as JSON) into participant nodes', () => {
		const legacy = `<div data-participants='${JSON.stringify(LEGACY).replace(/'/g, '&#39;')}' hidden></div><p>x</p>`;
		const json = generateJSON(legacy, editorExtensions);
		expect(json.content[0].content.map((c: JSONContent) => c.type)).toEqual(['participant', 'participant']);
		expect(participantsFromJSON(json)).toEqual(LEGACY);
	});
});
