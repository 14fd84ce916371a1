// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateHTML, generateJSON, type JSONContent } from '@tiptap/core';
import { editorExtensions } from './extensions';
import { useCollaborativeEditors } from '../../../tests/support/collaborative-editors';
import { participantsOf } from './interview';
import { linkParticipant, linkedContributor, normaliseParticipants, participantsFromJSON, participantsNodeJSON, profileNameToOffer, type Participant } from './participants';
import { pieceTemplate } from '../domain/templates';
import { renderMarkdown } from '../server/content/render';
import { jsonFromYDoc, yjsStateFromJSON } from '../server/content/document';

const varga = { id: 'c-av', name: 'Anneli Varga' };
const list: Participant[] = [
	{ id: 'p-bw', name: 'Basin Watch', label: 'BW', role: 'interviewer', contributorId: null },
	{ id: 'p-av', name: '', label: 'AV', role: 'interviewee', contributorId: null }
];

describe('linking participants to contributors', () => {
	it('links an unnamed participant and gives it the contributor’s name, touching nobody else', () => {
		const next = linkParticipant(list, 'p-av', varga);
		expect(next[1]).toEqual({ id: 'p-av', name: 'Anneli Varga', label: 'AV', role: 'interviewee', contributorId: 'c-av' });
		expect(next[0]).toBe(list[0]);
		expect(list[1].contributorId).toBeNull(); // not mutated
	});

	it('keeps a participant’s own name, and offers the profile’s only when it differs', () => {
		const named = linkParticipant([{ ...list[1], name: 'Guest' }], 'p-av', varga);
		expect(named[0].name).toBe('Guest');
		expect(named[0].contributorId).toBe('c-av');
		expect(profileNameToOffer(named[0], [varga])).toBe('Anneli Varga');
		expect(profileNameToOffer({ ...named[0], name: ' Anneli Varga ' }, [varga])).toBeNull();
		expect(profileNameToOffer(list[0], [varga])).toBeNull(); // not linked
	});

	it('changes and removes a link; a blank name is filled, whitespace does not count as a name', () => {
		const other = { id: 'c-bb', name: 'Bea Berger' };
		const linked = linkParticipant([{ ...list[1], name: '  ' }], 'p-av', varga);
		expect(linked[0].name).toBe('Anneli Varga');
		const changed = linkParticipant(linked, 'p-av', other);
		expect(changed[0]).toMatchObject({ contributorId: 'c-bb', name: 'Anneli Varga' });
		const unlinked = linkParticipant(changed, 'p-av', null);
		expect(unlinked[0]).toMatchObject({ contributorId: null, name: 'Anneli Varga', label: 'AV' });
	});

	it('tells a link to a loaded profile from one to a profile not among those loaded', () => {
		const linked = { ...list[1], contributorId: 'c-av' };
		expect(linkedContributor(linked, [varga])).toBe(varga);
		expect(linkedContributor(linked, [])).toBeUndefined();
		expect(linkedContributor(list[1], [varga])).toBeNull();
	});

	it('keeps only a string contributor id when reading a stored list', () => {
		const read = normaliseParticipants([
			{ id: 'a', name: 'A', label: 'A', role: 'interviewee', contributorId: 'c-1' },
			{ id: 'b', name: 'B', label: 'B', role: 'interviewee', contributorId: 42 },
			{ id: 'c', name: 'C', label: 'C', role: 'interviewee', contributorId: '' },
			{ id: 'd', name: 'D', label: 'D', role: 'interviewee' }
		]);
		expect(read.map((p) => p.contributorId)).toEqual(['c-1', null, null, null]);
	});
});

describe('the linkParticipant command', () => {
	const collaborativeEditor = useCollaborativeEditors();

	it('writes the link into the Yjs document, where another copy of it sees it, and leaves the Markdown alone', () => {
		const template: JSONContent = pieceTemplate('interview');
		const a = new Y.Doc();
		const b = new Y.Doc();
		Y.applyUpdate(a, yjsStateFromJSON(template));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		a.on('update', (update: Uint8Array) => Y.applyUpdate(b, update));
		const editorA = collaborativeEditor(a);
		const editorB = collaborativeEditor(b);
		const markdownBefore = renderMarkdown(jsonFromYDoc(a));

		expect(editorA.commands.linkParticipant('p-guest', varga)).toBe(true);
		const guest = participantsOf(editorB.state.doc).find((p) => p.id === 'p-guest');
		expect(guest).toMatchObject({ name: 'Guest', label: 'G', contributorId: 'c-av' });
		expect(participantsOf(editorB.state.doc).find((p) => p.id === 'p-interviewer')?.contributorId).toBeNull();
		// The link is not printed: the print form has no place for it.
		expect(renderMarkdown(jsonFromYDoc(b))).toBe(markdownBefore);

		expect(editorA.commands.linkParticipant('p-guest', null)).toBe(true);
		expect(participantsOf(editorB.state.doc).find((p) => p.id === 'p-guest')?.contributorId).toBeNull();
		// No such participant: nothing to do.
		expect(editorA.commands.linkParticipant('p-nobody', varga)).toBe(false);
	});
});

describe('participants in HTML', () => {
	it('round-trip through renderHTML and parseHTML', () => {
		const people: Participant[] = [
			{ id: 'p-interviewer', name: 'Basin Watch', label: 'BW', role: 'interviewer', contributorId: null },
			{ id: 'p-guest', name: 'Guest', label: 'G', role: 'interviewee', contributorId: 'c-old' }
		];
		const doc: JSONContent = {
			type: 'doc',
			content: [
				participantsNodeJSON(people),
				{ type: 'qaBlock', attrs: { id: 'q1', kind: 'question', speaker: 'p-interviewer', timestamp: null, label: null }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Why?' }] }] }
			]
		};
		const html = generateHTML(doc, editorExtensions);
		expect(html).toContain('data-participant="p-guest"');
		expect(html).toContain('data-contributor-id="c-old"');
		const back = generateJSON(html, editorExtensions);
		expect(participantsFromJSON(back)).toEqual(people);
		expect(back.content[0]).toEqual({ type: 'participants', content: participantsNodeJSON(people).content });
		expect(generateHTML(back, editorExtensions)).toBe(html);
	});
});
