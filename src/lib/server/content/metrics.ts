import type { JSONContent } from '@tiptap/core';
import { participantLabel, participantsFromJSON } from '../../editor/participants';
import { countWords } from '../../domain/words';

/**
 * What the lists, the board and search read of a piece's text, rebuilt after each store (projections.ts):
 *
 * - `bodyText`: the printed body as plain text, one line per block. What prints: headings, paragraphs,
 *   lists, quotes, an interview's lead-in and each turn, the turn starting with its speaker's label as the
 *   bulletin prints it ("BW: …"). What does not: the participants list (never printed), endnotes (their
 *   reference numbers and their text: the Notes section), the authors' bios (stored beside the piece, not
 *   in its text), empty blocks (a template's prompts).
 * - `wordCount`: the words of `bodyText` (domain/words.ts), as a word processor counts a printed page
 *   without its footnotes. So a turn's label counts as one word; a turn with no text yet counts nothing.
 * - `headings`: the headings that carry an `id` (what a section assignment names), in order.
 */
export interface PieceMetrics {
	wordCount: number;
	bodyText: string;
	headings: { id: string; level: number; title: string }[];
}

/** The rule below, recorded beside each piece's metrics (`pieces.metrics_version`); a piece written by an older one is rewritten at its next store. */
export const METRICS_VERSION = 1;

/** Nodes whose children are inline text: each is one line of the body text. */
const TEXT_BLOCKS = new Set(['paragraph', 'heading', 'leadIn', 'codeBlock']);

export function pieceMetrics(doc: JSONContent): PieceMetrics {
	const participants = participantsFromJSON(doc);
	const lines: string[] = [];
	const headings: PieceMetrics['headings'] = [];

	const inline = (node: JSONContent): string => {
		if (node.type === 'text') return node.text ?? '';
		if (node.type === 'hardBreak') return '\n';
		if (node.type === 'endnote') return ''; // printed as a note number, counted with the notes
		return (node.content ?? []).map(inline).join('');
	};

	const block = (node: JSONContent, prefix = ''): void => {
		if (node.type === 'participants') return;
		if (node.type && TEXT_BLOCKS.has(node.type)) {
			const text = inline(node).trim();
			if (node.type === 'heading' && typeof node.attrs?.id === 'string' && node.attrs.id) {
				headings.push({ id: node.attrs.id, level: Number(node.attrs.level) || 2, title: text });
			}
			if (text) lines.push(prefix + text);
			return;
		}
		if (node.type === 'qaBlock') {
			const paragraphs = (node.content ?? []).map((p) => inline(p).trim()).filter(Boolean);
			if (paragraphs.length === 0) return;
			lines.push(`${participantLabel(participants, node.attrs?.speaker as string)}: ${paragraphs[0]}`, ...paragraphs.slice(1));
			return;
		}
		for (const child of node.content ?? []) block(child);
	};

	block(doc);
	const bodyText = lines.join('\n');
	return { wordCount: countWords(bodyText), bodyText, headings };
}
