import type { JSONContent } from '@tiptap/core';
import { participantLabel, participantsFromJSON } from './participants';
import { safeCitationUrl } from './citation';
import { endnoteContentJSON } from './endnote';

// What a piece's content says, as rows: its Q&A turns, citations and endnotes. Derived from the editor
// JSON only (the Yjs state is the source of truth); written to relational tables for queries.

export interface QaRow {
	position: number;
	blockId: string | null;
	kind: 'question' | 'answer';
	speaker: string;
	speakerName: string | null;
	text: string;
	timestamp: string | null;
}
export interface CitationRow {
	position: number;
	sourceName: string;
	url: string | null;
	dateText: string | null;
}
export interface EndnoteRow {
	number: number;
	noteId: string | null;
	text: string;
}

export function textOf(node: JSONContent): string {
	if (node.type === 'text') return node.text ?? '';
	if (node.type === 'endnote') return '';
	return (node.content ?? []).map(textOf).join('');
}

export function projectContent(doc: JSONContent): { qa: QaRow[]; citations: CitationRow[]; endnotes: EndnoteRow[] } {
	const participants = participantsFromJSON(doc);
	const qa: QaRow[] = [];
	const citations: CitationRow[] = [];
	const endnotes: EndnoteRow[] = [];
	let lastCitation: string | null = null;
	const walk = (node: JSONContent) => {
		if (node.type === 'qaBlock') {
			qa.push({
				position: qa.length,
				blockId: (node.attrs?.id as string) ?? null,
				kind: node.attrs?.kind === 'answer' ? 'answer' : 'question',
				speaker: participantLabel(participants, node.attrs?.speaker as string),
				speakerName: participants.find((p) => p.id === node.attrs?.speaker)?.name ?? null,
				text: (node.content ?? []).map(textOf).join('\n\n'),
				timestamp: (node.attrs?.timestamp as string) ?? null
			});
		}
		if (node.type === 'endnote') {
			endnotes.push({ number: endnotes.length + 1, noteId: (node.attrs?.id as string) ?? null, text: endnoteContentJSON(node).map((n) => n.text ?? '').join('') });
			lastCitation = null; // a citation run split by an endnote counts twice
			return; // the note's text is not the paragraph's, nor a citation
		}
		if (node.type === 'text') {
			const mark = node.marks?.find((m) => m.type === 'citation');
			const key = mark ? JSON.stringify(mark.attrs) : null;
			// consecutive text nodes of one citation (e.g. partly bold) count once
			if (mark && key !== lastCitation) {
				citations.push({ position: citations.length, sourceName: String(mark.attrs?.source || node.text || ''), url: safeCitationUrl(mark.attrs?.url as string), dateText: (mark.attrs?.date as string) || null });
			}
			lastCitation = key;
		} else if (node.type !== 'text') {
			lastCitation = null;
		}
		node.content?.forEach(walk);
	};
	walk(doc);
	return { qa, citations, endnotes };
}
