import type { JSONContent } from '@tiptap/core';
import { participantLabel, participantsFromJSON } from './participants';
import { endnoteContentJSON } from './endnote';

// The print form of a piece: what the bulletin prints, derived from the editor JSON. Used by every
// export (Markdown, HTML) so they agree: labels drawn from participants, citations with their
// parentheses and dates, endnotes numbered in text order with a Notes section at the end.

export interface PrintOptions {
	/** Put "BW: " as bold text at the start of each Q&A block (HTML); Markdown adds it itself. */
	inlineLabels?: boolean;
	/** The authors' bios that end the piece (before its Notes), one entry per author, paragraphs split by blank lines. */
	bios?: string[];
	/**
	 * Wraps the brackets the print form adds itself (a citation's ` [qualifier]`, a note's `[n]`), so an export
	 * that escapes typed text (Markdown) can tell them from brackets typed in the piece and print them as they are.
	 */
	literal?: (text: string) => string;
}

type Mark = NonNullable<JSONContent['marks']>[number];

export function toPrintForm(doc: JSONContent, opts: PrintOptions = {}): JSONContent {
	const participants = participantsFromJSON(doc);
	const notes: JSONContent[][] = [];
	const literal = opts.literal ?? ((text: string) => text);

	const walk = (node: JSONContent): JSONContent | null => {
		if (node.type === 'participants') return null;
		if (node.type === 'endnote') {
			// the reference prints as its number; its text (either form) goes to the Notes section
			notes.push(endnoteContentJSON(node).map((n) => walk(n)!));
			const { content: _note, ...reference } = node;
			return { ...reference, attrs: { ...node.attrs, note: null, number: notes.length } };
		}
		let content = node.content?.map(walk).filter((n): n is JSONContent => n !== null);
		// An empty heading or lead-in (a template's, shown in the editor with its prompt) prints nothing.
		if ((node.type === 'heading' || node.type === 'leadIn') && !content?.length) return null;
		if (content && content.some((c) => c.type === 'text')) content = printCitations(content, literal);
		const out: JSONContent = { ...node, ...(content ? { content } : {}) };
		if (node.type === 'qaBlock') {
			const label = participantLabel(participants, node.attrs?.speaker);
			// The print names a speaker only when the piece lists them: a turn whose speaker is nobody in the
			// participants (an id a client wrote, or one since removed) prints as "?" and points at no one.
			const speaker = participants.some((p) => p.id === node.attrs?.speaker) ? node.attrs?.speaker : null;
			out.attrs = { ...node.attrs, speaker, label };
			if (opts.inlineLabels && out.content?.[0]) {
				const first = out.content[0];
				out.content = [{ ...first, content: [{ type: 'text', text: `${label}:`, marks: [{ type: 'bold' }] }, { type: 'text', text: ' ' }, ...(first.content ?? [])] }, ...out.content.slice(1)];
			}
		}
		return out;
	};

	const body = walk(doc) ?? { type: 'doc', content: [] };
	const bioParagraphs = (opts.bios ?? []).flatMap((bio) =>
		bio
			.split(/\n\s*\n/)
			.map((t) => t.trim())
			.filter(Boolean)
			.map((t) => ({ type: 'paragraph', content: [{ type: 'text', text: t }] }))
	);
	if (bioParagraphs.length) body.content = [...(body.content ?? []), ...bioParagraphs];
	if (notes.length) {
		body.content = [
			...(body.content ?? []),
			{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Notes' }] },
			...notes.map((note, i) => ({ type: 'paragraph', content: [{ type: 'text', text: note.length ? `${literal(`[${i + 1}]`)} ` : literal(`[${i + 1}]`) }, ...note] }))
		];
	}
	return body;
}

const citationOf = (n: JSONContent): Mark | undefined => n.marks?.find((m) => m.type === 'citation');

/**
 * Citations become `(` + linked source + ` [qualifier]` + `, date)`; adjacent citations (nothing or only
 * spaces between them) share one pair of parentheses, separated by `; `.
 */
function printCitations(nodes: JSONContent[], literal: (text: string) => string): JSONContent[] {
	// group consecutive text nodes carrying the same citation mark into runs
	type Run = { attrs: Record<string, unknown>; nodes: JSONContent[] };
	const items: (JSONContent | Run)[] = [];
	const isRun = (x: JSONContent | Run | undefined): x is Run => !!x && 'nodes' in x && Array.isArray((x as Run).nodes);
	for (const node of nodes) {
		const mark = citationOf(node);
		const last = items[items.length - 1];
		if (mark) {
			if (isRun(last) && JSON.stringify(last.attrs) === JSON.stringify(mark.attrs)) last.nodes.push(node);
			else items.push({ attrs: mark.attrs ?? {}, nodes: [node] });
		} else items.push(node);
	}
	const out: JSONContent[] = [];
	for (let i = 0; i < items.length; i++) {
		const item = items[i];
		if (!isRun(item)) {
			out.push(item);
			continue;
		}
		// collect a group of citations separated only by whitespace text
		const group: Run[] = [item];
		let j = i + 1;
		while (j < items.length) {
			const next = items[j];
			if (isRun(next)) {
				group.push(next);
				j++;
			} else if ((next as JSONContent).type === 'text' && /^\s*$/.test((next as JSONContent).text ?? '') && isRun(items[j + 1])) {
				j++;
			} else break;
		}
		i = j - 1;
		out.push({ type: 'text', text: '(' });
		group.forEach((run, k) => {
			if (k > 0) out.push({ type: 'text', text: '; ' });
			const url = typeof run.attrs.url === 'string' && run.attrs.url ? run.attrs.url : '#';
			for (const n of run.nodes) {
				const marks = (n.marks ?? []).filter((m) => m.type !== 'citation');
				out.push({ ...n, marks: [...marks, { type: 'link', attrs: { href: url } }] });
			}
			if (run.attrs.qualifier) out.push({ type: 'text', text: ` ${literal('[')}${run.attrs.qualifier}${literal(']')}` });
			if (run.attrs.date) out.push({ type: 'text', text: `, ${run.attrs.date}` });
		});
		out.push({ type: 'text', text: ')' });
	}
	return out;
}

/** The lead-in's markdown: italic by default; spans marked italic print roman, so a `*` stands at every change. */
export function leadInMarkdown(node: JSONContent, escape: (s: string) => string = (s) => s): string {
	const segments = (node.content ?? []).map((n) => ({
		text: n.type === 'text' ? (n.text ?? '') : '',
		roman: !!n.marks?.some((m) => m.type === 'italic')
	}));
	let out = '';
	let italicOpen = false;
	for (const seg of segments) {
		if (!seg.text) continue;
		const wantItalic = !seg.roman;
		if (wantItalic !== italicOpen) {
			out += '*';
			italicOpen = wantItalic;
		}
		out += escape(seg.text);
	}
	if (italicOpen) out += '*';
	return out;
}

/** The reverse, for imports: `Basin Watch *spoke with … *Rivers Without Borders* …*` to lead-in content. */
export function leadInFromMarkdown(text: string): JSONContent[] {
	if (!text.includes('*')) return text ? [{ type: 'text', text }] : [];
	const parts = text.split('*');
	// Before the first `*` the text prints roman; each `*` toggles.
	return parts
		.map((t, i) => ({ t, roman: i % 2 === 0 }))
		.filter((p) => p.t)
		.map((p) => (p.roman ? { type: 'text', text: p.t, marks: [{ type: 'italic' }] } : { type: 'text', text: p.t }));
}
