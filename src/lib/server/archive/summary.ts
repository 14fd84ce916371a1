// What an imported piece holds, counted (the dry run's preview) or listed (what the round-trip test
// compares): paragraphs, citations, endnotes and Q&A turns, read from the editor JSON.
import type { JSONContent } from '@tiptap/core';
import { projectContent, textOf } from '../../editor/projection';
import { participantLabel, participantsFromJSON } from '../../editor/participants';
import { endnoteContentJSON } from '../../editor/endnote';

export interface PieceCounts {
	paragraphs: number;
	citations: number;
	endnotes: number;
	qaTurns: number;
}

function countParagraphs(node: JSONContent): number {
	if (node.type === 'paragraph') return 1;
	return (node.content ?? []).reduce((n, c) => n + countParagraphs(c), 0);
}

export function pieceCounts(content: JSONContent): PieceCounts {
	const { qa, citations, endnotes } = projectContent(content);
	return { paragraphs: countParagraphs(content), citations: citations.length, endnotes: endnotes.length, qaTurns: qa.length };
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

export interface PieceDigest {
	/** Every block's text in order (headings, paragraphs, the lead-in; a turn's paragraphs after its label). */
	paragraphs: string[];
	citations: { source: string; url: string | null; qualifier: string | null; date: string }[];
	endnotes: string[];
	qaTurns: string[];
}

/** A piece's content listed for comparison, whitespace normalised. */
export function pieceDigest(content: JSONContent): PieceDigest {
	const participants = participantsFromJSON(content);
	const digest: PieceDigest = { paragraphs: [], citations: [], endnotes: [], qaTurns: [] };
	let last: string | null = null;
	const inline = (node: JSONContent) => {
		if (node.type === 'endnote') {
			digest.endnotes.push(squash(endnoteContentJSON(node).map((n) => n.text ?? '').join('')));
			last = null;
			return;
		}
		const mark = node.marks?.find((m) => m.type === 'citation');
		const key = mark ? JSON.stringify(mark.attrs) : null;
		if (mark && key !== last) {
			const a = mark.attrs ?? {};
			digest.citations.push({ source: String(a.source ?? ''), url: (a.url as string) || null, qualifier: (a.qualifier as string) || null, date: String(a.date ?? '') });
		}
		last = key;
		node.content?.forEach(inline);
	};
	const block = (node: JSONContent, prefix = '') => {
		if (node.type === 'participants') return;
		if (node.type === 'qaBlock') {
			const label = participantLabel(participants, node.attrs?.speaker as string);
			digest.qaTurns.push(`${label}: ${squash((node.content ?? []).map(textOf).join(' '))}`);
			node.content?.forEach((p, i) => block(p, i === 0 ? `${label}: ` : ''));
			return;
		}
		digest.paragraphs.push(prefix + squash(textOf(node)));
		last = null;
		node.content?.forEach(inline);
	};
	content.content?.forEach((n) => block(n));
	return digest;
}
