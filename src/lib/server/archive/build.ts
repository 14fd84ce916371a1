// One archived piece's paragraphs as the editor schema's JSON: headings, paragraphs with citations and
// endnotes (their notes taken from the piece's Notes), the authors' closing bios set apart; an interview as
// participants, its italic lead-in and Q&A turns.
import type { JSONContent } from '@tiptap/core';
import { leadInFromMarkdown } from '../../editor/print';
import { newParticipantId, participantsNodeJSON, type Participant } from '../../editor/participants';
import { inlineJSON, noteJSON } from './inline';
import { initialsOf, isTitleLike, withoutHonorific } from './names';
import { turnLabel, type PieceSpan } from './pieces';
import { loose, type Paragraph } from './text';

export interface AuthorBio {
	name: string;
	text: string;
}

export interface BuiltPiece {
	content: JSONContent;
	bios: AuthorBio[];
}

const NOTE_RE = /^\[(\d{1,3})\]\s*([^]*)$/;

/** The piece's Notes (`[n] text`, from a paragraph "Notes" on), and the paragraphs before them. */
function splitNotes(paragraphs: Paragraph[]): { main: Paragraph[]; notes: Map<number, string> } {
	const at = paragraphs.findIndex((p) => p.lines.length === 1 && /^(?:#+\s*)?notes$/i.test(p.text));
	const notes = new Map<number, string>();
	if (at === -1) return { main: paragraphs, notes };
	let current: number | null = null;
	for (const p of paragraphs.slice(at + 1)) {
		const m = NOTE_RE.exec(p.text);
		if (m) {
			current = Number(m[1]);
			notes.set(current, m[2].trim());
		} else if (current !== null) notes.set(current, `${notes.get(current)} ${p.text}`.trim());
	}
	return { main: paragraphs.slice(0, at), notes };
}

function startsWithName(p: Paragraph, name: string): boolean {
	const text = loose(p.text);
	const n = loose(name);
	return text.length > n.length && text.startsWith(n) && /^[\s,’']/.test(text.slice(n.length));
}

/** Where the closing bios start (a paragraph opening with an author's name, nothing but bios after it), or -1. */
function biosStart(main: Paragraph[], authors: string[]): number {
	if (!authors.length) return -1;
	for (let k = 1; k < main.length; k++) {
		if (!authors.some((a) => startsWithName(main[k], a))) continue;
		if (main.slice(k + 1).every((p) => !isTitleLike(p, 12) || authors.some((a) => startsWithName(p, a)))) return k;
	}
	return -1;
}

function biosOf(paragraphs: Paragraph[], authors: string[]): AuthorBio[] {
	const bios: AuthorBio[] = [];
	for (const p of paragraphs) {
		const name = authors.find((a) => startsWithName(p, a));
		const last = bios[bios.length - 1];
		if (name && !bios.some((b) => b.name === name)) bios.push({ name, text: p.text });
		else if (last) last.text += `\n\n${p.text}`;
	}
	return bios;
}

/** The endnote nodes of a piece, by the number its text gives them; `noted` hears of a missing or unused note. */
function endnotes(notes: Map<number, string>, noted: (what: string) => void, title: string) {
	const used = new Set<number>();
	const node = (n: number): JSONContent | null => {
		const text = notes.get(n);
		if (text === undefined) {
			noted(`"${title}": the text refers to note [${n}], which its Notes do not have; kept as the text "[${n}]"`);
			return null;
		}
		if (used.has(n)) noted(`"${title}": note [${n}] is referred to twice; each reference gets its own copy of the note`);
		used.add(n);
		const content = noteJSON(text);
		return content.length ? { type: 'endnote', content } : { type: 'endnote' };
	};
	const unused = () => [...notes.keys()].filter((n) => !used.has(n));
	return { node, unused };
}

const paragraphJSON = (content: JSONContent[]): JSONContent => (content.length ? { type: 'paragraph', content } : { type: 'paragraph' });

/** A brief's or an article's body, its bios apart. */
export function buildProse(span: PieceSpan, noted: (what: string) => void): BuiltPiece {
	const { main: all, notes } = splitNotes(span.paragraphs);
	const bioAt = biosStart(all, span.authors);
	const main = bioAt === -1 ? all : all.slice(0, bioAt);
	const notesOf = endnotes(notes, noted, span.title);
	const blocks: JSONContent[] = main.map((p, j) => {
		const heading = p.lines.length === 1 && j + 1 < main.length && isTitleLike(p, 12) && !/^\[|\]\(/.test(p.text);
		const content = inlineJSON(p.text.replace(/^#{1,6}\s+/, ''), notesOf.node);
		return heading ? { type: 'heading', attrs: { level: 2 }, content } : paragraphJSON(content);
	});
	const left = notesOf.unused();
	if (left.length) noted(`"${span.title}": note${left.length === 1 ? '' : 's'} ${left.map((n) => `[${n}]`).join(', ')} ${left.length === 1 ? 'is' : 'are'} referred to nowhere in its text and ${left.length === 1 ? 'was' : 'were'} not imported`);
	return { content: { type: 'doc', content: blocks.length ? blocks : [{ type: 'paragraph' }] }, bios: bioAt === -1 ? [] : biosOf(all.slice(bioAt), span.authors) };
}

/** Who a label stands for: the candidate whose initials it is (the publication, the authors, the guest named in the title). */
function participantsFor(labels: string[], span: PieceSpan, publication: string): Participant[] {
	const guest = /\bwith\s+(.+)$/i.exec(span.title)?.[1];
	const candidates = [publication, ...span.authors, ...(guest ? [withoutHonorific(guest.replace(/[.:]$/, ''))] : [])];
	const asking = new Set([publication, ...span.authors]);
	const named = labels.map((label) => ({ label, name: candidates.find((c) => initialsOf(c).toUpperCase() === label.toUpperCase().replace(/\./g, '')) ?? label }));
	const anyAsker = named.some((n) => asking.has(n.name));
	return named.map((n, k) => ({ id: newParticipantId(), name: n.name, label: n.label, role: (anyAsker ? asking.has(n.name) : k === 0) ? 'interviewer' : 'interviewee' }));
}

/** An interview: participants, the lead-in (the paragraphs before the first turn), one Q&A block per turn. */
export function buildInterview(span: PieceSpan, publication: string, noted: (what: string) => void): BuiltPiece {
	const { main, notes } = splitNotes(span.paragraphs);
	const notesOf = endnotes(notes, noted, span.title);
	const first = main.findIndex((p) => turnLabel(p));
	const leadText = main
		.slice(0, first)
		.map((p) => p.text)
		.join(' ')
		.replace(/\\([^*])/g, '$1');
	// the closing bios of its authors (an interview with a byline), after the turns
	const bioAt = biosStart(main, span.authors);
	const end = bioAt > first ? bioAt : main.length;
	const turns: { label: string; paragraphs: string[] }[] = [];
	for (const p of main.slice(first, end)) {
		const t = turnLabel(p);
		if (t) turns.push({ label: t.label, paragraphs: t.rest ? [t.rest] : [] });
		else turns[turns.length - 1].paragraphs.push(p.text);
	}
	const labels = [...new Set(turns.map((t) => t.label))];
	const participants = participantsFor(labels, span, publication);
	const byLabel = new Map(participants.map((p) => [p.label, p]));
	const blocks: JSONContent[] = turns.map((t) => {
		const speaker = byLabel.get(t.label)!;
		return {
			type: 'qaBlock',
			attrs: { kind: speaker.role === 'interviewer' ? 'question' : 'answer', speaker: speaker.id, timestamp: null },
			content: (t.paragraphs.length ? t.paragraphs : ['']).map((text) => paragraphJSON(inlineJSON(text, notesOf.node)))
		};
	});
	const leadIn = leadInFromMarkdown(leadText.trim());
	const content: JSONContent[] = [participantsNodeJSON(participants), ...(leadIn.length ? [{ type: 'leadIn', content: leadIn }] : []), ...blocks];
	return { content: { type: 'doc', content }, bios: end < main.length ? biosOf(main.slice(end), span.authors) : [] };
}
