// The transcript import as a pure function of the piece's content: printed labels, the lead-in choice,
// replace or append, and the detection of turns already in the piece (what a re-import would repeat).
import { describe, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import { parseTranscript } from '../../domain/transcript';
import { pieceTemplate, TEMPLATE_LEAD_IN } from '../../domain/templates';
import { participantsFromJSON } from '../../editor/participants';
import { textOf } from '../../editor/projection';
import { editorSchema } from '../../editor/extensions';
import { importedDocument } from './transcript';
import { SIX_TURNS, bulletinInterview } from '../../../../tests/support/bulletin-issue';

const turns = (doc: JSONContent) => (doc.content ?? []).filter((n) => n.type === 'qaBlock');
const leadInText = (doc: JSONContent) => {
	const lead = (doc.content ?? []).find((n) => n.type === 'leadIn');
	return lead ? textOf(lead) : null;
};
const labelsOf = (doc: JSONContent) => {
	const people = participantsFromJSON(doc);
	return turns(doc).map((t) => people.find((p) => p.id === t.attrs?.speaker)?.label);
};

describe('importing a transcript into an interview', () => {
	it('prints each speaker under the label chosen for them: "Speaker 1" can print as BW (an existing participant) and "Speaker 2" as AV (a new one)', () => {
		const parsed = parseTranscript('Speaker 1  00:00:01\nWhy now?\n\nSpeaker 2  00:00:04\nBecause the pact is new.');
		const { document } = importedDocument(pieceTemplate('interview'), parsed, {
			'Speaker 1': { participantId: 'p-interviewer', label: 'BW' },
			'Speaker 2': { name: 'Anneli Varga', label: 'AV', role: 'interviewee' }
		}, { mode: 'append' });
		expect(labelsOf(document)).toEqual(['BW', 'AV']);
		expect(participantsFromJSON(document).map((p) => [p.label, p.name, p.role])).toEqual([
			['BW', 'Basin Watch', 'interviewer'],
			['AV', 'Anneli Varga', 'interviewee']
		]);
		editorSchema.nodeFromJSON(document).check();
	});

	it('relabels an existing participant when the mapping gives it a new printed label, and trims labels to 24 characters', () => {
		const parsed = parseTranscript('Speaker 1: Why now?\nSpeaker 2: Because.');
		const { document } = importedDocument(pieceTemplate('interview'), parsed, {
			'Speaker 1': { participantId: 'p-interviewer', label: '  Basin   Watch  ' },
			'Speaker 2': { name: 'Anneli Varga', label: 'A very long label for the guest, too long', role: 'interviewee' }
		}, { mode: 'append' });
		expect(labelsOf(document)).toEqual(['Basin Watch', 'A very long label for th']);
	});

	it('keeps the piece’s lead-in, takes the transcript’s, or uses one written in the dialog', () => {
		const parsed = parseTranscript(bulletinInterview());
		const template = pieceTemplate('interview');
		const transcriptLead = leadInText(importedDocument(template, parsed, {}, { mode: 'append', leadIn: 'transcript' }).document);
		expect(transcriptLead).toMatch(/^Basin Watch spoke with Dr\. Anneli Varga/);
		// By default the transcript's lead-in replaces the template's.
		expect(leadInText(importedDocument(template, parsed, {}, { mode: 'append' }).document)).toBe(transcriptLead);
		// Kept: the template's lead-in stays (an empty one, shown with its prompt as a placeholder).
		expect(leadInText(importedDocument(template, parsed, {}, { mode: 'append', leadIn: 'keep' }).document)).toBe('');
		const written = importedDocument(template, parsed, {}, { mode: 'replace', leadIn: { text: 'Basin Watch *talked to Dr. Varga in Talmar.*' } }).document;
		const lead = written.content!.find((n) => n.type === 'leadIn')!;
		expect(textOf(lead)).toBe('Basin Watch talked to Dr. Varga in Talmar.');
		expect(lead.content).toEqual([
			{ type: 'text', text: 'Basin Watch ', marks: [{ type: 'italic' }] },
			{ type: 'text', text: 'talked to Dr. Varga in Talmar.' }
		]);
		// A lead-in someone wrote in the piece is kept by default, even when the transcript has one.
		const writtenPiece = importedDocument(template, parseTranscript('Basin Watch spoke with a warden.\n\nBW: Why?\nAV: Because.'), {}, { mode: 'append' }).document;
		expect(leadInText(importedDocument(writtenPiece, parsed, {}, { mode: 'append' }).document)).toBe('Basin Watch spoke with a warden.');
	});

	it('keeps a lead-in of the old template (its prompt as text) when asked to keep it, and replaces it by default', () => {
		const legacy: JSONContent = pieceTemplate('interview');
		legacy.content = legacy.content!.map((n) =>
			n.type === 'leadIn' ? { type: 'leadIn', content: [{ type: 'text', text: 'Basin Watch ', marks: [{ type: 'italic' }] }, { type: 'text', text: TEMPLATE_LEAD_IN }] } : n
		);
		const parsed = parseTranscript(bulletinInterview());
		expect(leadInText(importedDocument(legacy, parsed, {}, { mode: 'append' }).document)).toMatch(/^Basin Watch spoke with Dr\. Anneli Varga/);
		expect(leadInText(importedDocument(legacy, parsed, {}, { mode: 'replace', leadIn: 'keep' }).document)).toBe(`Basin Watch ${TEMPLATE_LEAD_IN}`);
	});

	it('finds the six turns already there when the same transcript is imported again: appending would make 12, replacing keeps 6', () => {
		const parsed = parseTranscript(SIX_TURNS);
		const first = importedDocument(pieceTemplate('interview'), parsed, { AV: { name: 'Anneli Varga', role: 'interviewee' } }, { mode: 'append' });
		expect(first.alreadyPresent).toBe(0);
		expect(turns(first.document)).toHaveLength(6);

		const again = importedDocument(first.document, parsed, {}, { mode: 'append' });
		expect(again.alreadyPresent).toBe(6);
		expect(turns(again.document)).toHaveLength(12);
		const replaced = importedDocument(first.document, parsed, {}, { mode: 'replace' });
		expect(replaced.alreadyPresent).toBe(6);
		expect(turns(replaced.document)).toHaveLength(6);
	});

	it('matches by speaker and text: the same words from the other speaker, changed words, or another transcript are not "already there"', () => {
		const first = importedDocument(pieceTemplate('interview'), parseTranscript(SIX_TURNS), {}, { mode: 'append' }).document;
		// The same text said by the other person.
		const swapped = SIX_TURNS.replace(/^BW:/gm, 'XX:').replace(/^AV:/gm, 'BW:').replace(/^XX:/gm, 'AV:');
		expect(importedDocument(first, parseTranscript(swapped), {}, { mode: 'append' }).alreadyPresent).toBe(0);
		// Two of the six turns edited since; the rest (whitespace aside) as before.
		const edited = SIX_TURNS.replace('Who cut it?', 'Who cut it, then?').replace('Its first summer will tell.', 'Its first   summer\nwill tell.').replace('Nobody has claimed it.', 'No one claimed it.');
		expect(importedDocument(first, parseTranscript(edited), {}, { mode: 'append' }).alreadyPresent).toBe(4);
		expect(importedDocument(first, parseTranscript('BW: A new question?\nAV: A new answer.'), {}, { mode: 'append' }).alreadyPresent).toBe(0);
		// A turn said twice in the new transcript matches only as often as the piece has it.
		expect(importedDocument(first, parseTranscript('BW: Who cut it?\nBW: Who cut it?'), {}, { mode: 'append' }).alreadyPresent).toBe(1);
	});

	it('never counts the template’s empty turns as already there', () => {
		const parsed = parseTranscript('BW:\nAV:');
		expect(importedDocument(pieceTemplate('interview'), parsed, {}, { mode: 'append' }).alreadyPresent).toBe(0);
	});
});
