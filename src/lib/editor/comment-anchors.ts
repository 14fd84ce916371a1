// Comment anchors: the ONE text model of a piece for comments, and the mapping between its text and Yjs
// relative positions. Used by the server (resolving a TextQuoteSelector to positions when a thread is made,
// and the positions back to text when threads are read) and by the browser (the quote of a selection, the
// highlights), so both count the same characters.
//
// The text model: the body fragment's textblocks (paragraphs, headings, a lead-in, the paragraphs inside Q&A
// turns, list items, quotes…) in document order, joined by "\n"; a hard break inside a block is "\n" too. An
// endnote's own note and the other inline atoms count as nothing (their text is not the piece's running text);
// blocks without text (the participants table, a rule) give no line.
import * as Y from 'yjs';
import { editorSchema } from './extensions';

/** How many characters of context go with an anchor's `exact` (W3C TextQuoteSelector prefix and suffix). */
export const ANCHOR_CONTEXT = 32;

/** A W3C Web Annotation TextQuoteSelector (without its `type`). */
export interface TextQuote {
	exact: string;
	prefix?: string;
	suffix?: string;
}

/** One run of text of the model: a Y.XmlText and where its characters start in the model's text. */
interface Segment {
	type: Y.XmlText;
	start: number;
	length: number;
}

export interface PieceText {
	text: string;
	/** The Y.XmlTexts in text order. */
	segments: Segment[];
	/** Where each Y.XmlText starts in `text`. */
	starts: Map<Y.XmlText, number>;
}

function isInline(name: string): boolean {
	return !!editorSchema.nodes[name]?.isInline;
}

/** The text model of a body fragment (see the top of this file). */
export function pieceText(fragment: Y.XmlFragment): PieceText {
	let text = '';
	const segments: Segment[] = [];
	const starts = new Map<Y.XmlText, number>();
	let lines = 0;
	const textblock = (element: Y.XmlElement) => {
		if (lines++ > 0) text += '\n';
		for (const child of element.toArray()) {
			if (child instanceof Y.XmlText) {
				const start = text.length;
				for (const op of child.toDelta() as { insert: unknown }[]) text += typeof op.insert === 'string' ? op.insert : '\uFFFC';
				segments.push({ type: child, start, length: text.length - start });
				starts.set(child, start);
			} else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') text += '\n';
			// other inline nodes (an endnote and its note) are not running text
		}
	};
	const walk = (parent: Y.XmlFragment | Y.XmlElement) => {
		for (const child of parent.toArray()) {
			if (!(child instanceof Y.XmlElement)) continue;
			const node = editorSchema.nodes[child.nodeName];
			if (node?.isTextblock) textblock(child);
			else if (!isInline(child.nodeName)) walk(child);
		}
	};
	walk(fragment);
	return { text, segments, starts };
}

/**
 * Where a quote is in `text`: its start offset, or why not. The exact text must occur; when it occurs more
 * than once, the prefix and suffix must single out one occurrence (the one whose context ends with the prefix
 * and begins with the suffix; when several do, it is still ambiguous).
 */
export function findQuote(text: string, quote: TextQuote): { start: number } | { error: 'missing' | 'ambiguous'; count: number } {
	const { exact } = quote;
	const found: number[] = [];
	if (exact.length) for (let i = text.indexOf(exact); i !== -1; i = text.indexOf(exact, i + 1)) found.push(i);
	if (!found.length) return { error: 'missing', count: 0 };
	if (found.length === 1) return { start: found[0] };
	const prefix = quote.prefix ?? '';
	const suffix = quote.suffix ?? '';
	const fits = found.filter((i) => text.slice(0, i).endsWith(prefix) && text.slice(i + exact.length).startsWith(suffix));
	if (fits.length === 1) return { start: fits[0] };
	// a longer context than the one here (sent by a client counting more characters) still singles out the one whose context overlaps best
	if (fits.length === 0 && (prefix || suffix)) {
		const score = (i: number) => commonSuffix(text.slice(Math.max(0, i - prefix.length), i), prefix) + commonPrefix(text.slice(i + exact.length, i + exact.length + suffix.length), suffix);
		const scored = found.map((i) => ({ i, s: score(i) })).sort((a, b) => b.s - a.s);
		if (scored[0].s > 0 && scored[0].s > scored[1].s) return { start: scored[0].i };
	}
	return { error: 'ambiguous', count: found.length };
}

function commonPrefix(a: string, b: string): number {
	let n = 0;
	while (n < a.length && n < b.length && a[n] === b[n]) n++;
	return n;
}
function commonSuffix(a: string, b: string): number {
	let n = 0;
	while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
	return n;
}

/** The Y.XmlText and index of the first character at or after `offset` (skipping line breaks), or null. */
function startAt(model: PieceText, offset: number): { type: Y.XmlText; index: number } | null {
	for (const s of model.segments) {
		if (offset < s.start + s.length) return { type: s.type, index: Math.max(0, offset - s.start) };
	}
	return null;
}

/** The Y.XmlText and index just after the last character before `offset` (skipping line breaks), or null. */
function endAt(model: PieceText, offset: number): { type: Y.XmlText; index: number } | null {
	for (let k = model.segments.length - 1; k >= 0; k--) {
		const s = model.segments[k];
		if (offset > s.start && s.length > 0) return { type: s.type, index: Math.min(s.length, offset - s.start) };
	}
	return null;
}

/**
 * The relative positions of the text between two offsets of the model. The start sticks to the first
 * character (text typed just before it stays out), the end to the last one (text typed just after it stays
 * out). Null when the range holds no character.
 */
export function anchorAt(model: PieceText, from: number, to: number): { start: Y.RelativePosition; end: Y.RelativePosition } | null {
	const a = startAt(model, from);
	const b = endAt(model, to);
	if (!a || !b) return null;
	const start = model.starts.get(a.type)! + a.index;
	const end = model.starts.get(b.type)! + b.index;
	if (start >= end) return null;
	return { start: Y.createRelativePositionFromTypeIndex(a.type, a.index, 0), end: Y.createRelativePositionFromTypeIndex(b.type, b.index, -1) };
}

/** A relative position as an offset of the model, or null when its text is gone. */
export function offsetOf(doc: Y.Doc, model: PieceText, position: Y.RelativePosition): number | null {
	const abs = Y.createAbsolutePositionFromRelativePosition(position, doc);
	if (!abs || !(abs.type instanceof Y.XmlText)) return null;
	const start = model.starts.get(abs.type);
	return start === undefined ? null : start + abs.index;
}

/** Where an anchor is now: the offsets, what it covers and its context; null when its text was deleted. */
export function resolveAnchor(
	doc: Y.Doc,
	model: PieceText,
	start: Y.RelativePosition,
	end: Y.RelativePosition
): { from: number; to: number; exact: string; prefix: string; suffix: string } | null {
	const from = offsetOf(doc, model, start);
	const to = offsetOf(doc, model, end);
	if (from === null || to === null || from >= to) return null;
	return {
		from,
		to,
		exact: model.text.slice(from, to),
		prefix: model.text.slice(Math.max(0, from - ANCHOR_CONTEXT), from),
		suffix: model.text.slice(to, to + ANCHOR_CONTEXT)
	};
}

/** The selector of the text between two offsets (what the browser sends for a selection). */
export function quoteAt(model: PieceText, from: number, to: number): TextQuote {
	return { exact: model.text.slice(from, to), prefix: model.text.slice(Math.max(0, from - ANCHOR_CONTEXT), from), suffix: model.text.slice(to, to + ANCHOR_CONTEXT) };
}

/** A relative position as base64 (the API's `anchor.start`/`anchor.end`), and back. */
export function encodePosition(position: Y.RelativePosition): string {
	return bytesToBase64(Y.encodeRelativePosition(position));
}
export function decodePosition(base64: string): Y.RelativePosition {
	return Y.decodeRelativePosition(base64ToBytes(base64));
}

function bytesToBase64(bytes: Uint8Array): string {
	let s = '';
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s);
}
function base64ToBytes(base64: string): Uint8Array {
	const s = atob(base64);
	const bytes = new Uint8Array(s.length);
	for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
	return bytes;
}
