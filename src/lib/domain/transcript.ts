/**
 * Interview transcript parsing.
 *
 * Turns the plain text of an interview transcript ("BW: question" / "AV: answer", "Speaker 1  00:01:23",
 * "[00:01:23] Name: text", "**BW:** text", ...) into speaker blocks. Pure and dependency-free: no I/O,
 * no DOM, no Node APIs, so it runs the same in the browser and on the server. The parser never
 * interprets markup: HTML or Markdown inside a turn is returned as the literal text it was. Which lines
 * are speaker labels is transcript-labels.ts.
 */
import { looksBinary } from './plain-text';
import { formatMiB, MAX_REQUEST_BODY_BYTES } from './limits';
import { collapseSpaces, matchLabel, trimEdges } from './transcript-labels';

export interface TranscriptBlock {
	/** The label as found in the transcript, normalised for grouping (whitespace collapsed, `Q.` → `Q`). */
	speakerLabel: string;
	/** One entry per paragraph; label and timestamp removed, lines of a paragraph joined with one space. */
	paragraphs: string[];
	/** The timestamp exactly as the transcript gave it for this block (without brackets), else null. */
	timestamp: string | null;
	/** 1-based line number where the block starts. */
	line: number;
}

export interface ParsedTranscript {
	/** Paragraphs before the first labelled line (surrounding single `*`/`_` italics markers stripped). */
	leadIn: string[];
	blocks: TranscriptBlock[];
	/** Distinct speaker labels in order of first appearance; `count` is the number of blocks. */
	labels: { label: string; count: number; firstLine: number }[];
}

export type TranscriptErrorCode = 'empty' | 'binary' | 'too_large' | 'no_speakers' | 'whole_issue';

export class TranscriptError extends Error {
	readonly code: TranscriptErrorCode;
	constructor(code: TranscriptErrorCode, message: string) {
		super(message);
		this.name = 'TranscriptError';
		this.code = code;
		Object.setPrototypeOf(this, new.target.prototype);
	}
}

/** 5 MiB of UTF-8 text: the request body limit (see limits.ts). */
export const MAX_TRANSCRIPT_BYTES = MAX_REQUEST_BODY_BYTES;

// ---------------------------------------------------------------------------------------------
// Input checks

function utf8ByteLengthExceeds(s: string, limit: number): { exceeds: boolean; bytes: number } {
	if (s.length > limit) return { exceeds: true, bytes: -1 };
	if (s.length * 3 <= limit) return { exceeds: false, bytes: -1 };
	let bytes = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 0x80) bytes += 1;
		else if (c < 0x800) bytes += 2;
		else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
			const d = s.charCodeAt(i + 1);
			if (d >= 0xdc00 && d <= 0xdfff) {
				bytes += 4;
				i++;
			} else bytes += 3;
		} else bytes += 3;
		if (bytes > limit) return { exceeds: true, bytes };
	}
	return { exceeds: false, bytes };
}

// ---------------------------------------------------------------------------------------------
// Lead-in

/** Strips one pair of surrounding single `*` or `_` italics markers, if the pair is the only one. */
function stripItalics(p: string): string {
	for (const m of ['*', '_']) {
		if (p.length >= 3 && p.startsWith(m) && p.endsWith(m) && p[1] !== m && p[p.length - 2] !== m) {
			const inner = p.slice(1, -1);
			// "*a* and *b*" is two spans, not one surrounding pair: leave it alone.
			if (!inner.includes(m)) return trimEdges(inner);
		}
	}
	return p;
}

// ---------------------------------------------------------------------------------------------
// Parser

/** What the empty, binary and too-large checks say (the API's 422/413 messages and the import dialog's). */
export const TRANSCRIPT_EMPTY_MESSAGE = 'The transcript is empty: there is no text in it.';
export const TRANSCRIPT_BINARY_MESSAGE =
	'This is not text: it looks like a binary file (an image, a PDF, a Word document…). Send the transcript as plain text (.txt).';

/**
 * The checks made before any parsing: not over the size limit, not blank, not binary. Throws a
 * TranscriptError (`too_large`, `empty`, `binary`); returns the text without a leading BOM. The import
 * dialog runs it on a chosen file before its text is shown, the API on every body.
 */
export function checkTranscriptText(raw: string): string {
	if (typeof raw !== 'string') throw new TranscriptError('empty', TRANSCRIPT_EMPTY_MESSAGE);
	const size = utf8ByteLengthExceeds(raw, MAX_TRANSCRIPT_BYTES);
	if (size.exceeds) {
		throw new TranscriptError(
			'too_large',
			`The transcript is too large. The limit is ${formatMiB(MAX_TRANSCRIPT_BYTES)} (${MAX_TRANSCRIPT_BYTES.toLocaleString('en-US')} bytes) of text.`
		);
	}
	const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
	if (trimEdges(text).length === 0) throw new TranscriptError('empty', TRANSCRIPT_EMPTY_MESSAGE);
	if (looksBinary(text)) throw new TranscriptError('binary', TRANSCRIPT_BINARY_MESSAGE);
	return text;
}

// ---------------------------------------------------------------------------------------------
// A whole bulletin issue

/** The masthead line of an issue: "VOLUME VII, ISSUE 12", "Volume 3, Issue 4", "VOL. VII, NO. 12". */
const MASTHEAD_RE = /^(?:VOLUME|VOL\.)\s+(?:[IVXLCDM]+|\d{1,4})\s*[,.;·|–—-]?\s*(?:ISSUE|NO\.|NUMBER)\s+(?:\d{1,4}|[IVXLCDM]+)$/i;
/** A contents entry's page reference on its own line: "p.3", "p. 12", "Page 7". */
const PAGE_REF_RE = /^(?:p\.|page)\s?\d{1,3}$/i;

/**
 * Whether the text before the first turn is a bulletin issue's front matter rather than an interview's
 * lead-in: a masthead line ("VOLUME VII, ISSUE 12") and then a table of contents (two or more page
 * references) or several pieces' worth of paragraphs. A masthead mentioned inside a sentence does not count.
 */
function wholeIssueMasthead(lines: string[], firstTurnLine: number): string | null {
	let masthead: string | null = null;
	let pageRefs = 0;
	let paragraphs = 0;
	let inParagraph = false;
	for (let i = 0; i < firstTurnLine; i++) {
		const line = trimEdges(lines[i]);
		if (line.length === 0) {
			inParagraph = false;
			continue;
		}
		if (!inParagraph) paragraphs++;
		inParagraph = true;
		if (masthead === null && line.length <= 60 && MASTHEAD_RE.test(line)) masthead = collapseSpaces(line);
		else if (masthead !== null && PAGE_REF_RE.test(line)) pageRefs++;
	}
	return masthead !== null && (pageRefs >= 2 || paragraphs >= 12) ? masthead : null;
}

// ---------------------------------------------------------------------------------------------
// Parser

export function parseTranscript(raw: string): ParsedTranscript {
	const text = checkTranscriptText(raw);

	const lines = text.replace(/\r\n?/g, '\n').split(/\n|\u2028|\u2029/);
	const leadInParas: string[] = [];
	const blocks: TranscriptBlock[] = [];
	let current: TranscriptBlock | null = null;
	let para: string[] = [];

	const flush = () => {
		if (para.length === 0) return;
		const joined = para.join(' ');
		para = [];
		if (current) current.paragraphs.push(joined);
		else leadInParas.push(joined);
	};

	for (let i = 0; i < lines.length; i++) {
		const trimmed = trimEdges(lines[i]);
		if (trimmed.length === 0) {
			flush();
			continue;
		}
		const m = matchLabel(trimmed);
		if (m) {
			flush();
			current = { speakerLabel: m.label, paragraphs: [], timestamp: m.timestamp, line: i + 1 };
			blocks.push(current);
			if (m.rest.length > 0) para.push(m.rest);
			continue;
		}
		para.push(trimmed);
	}
	flush();

	const masthead = wholeIssueMasthead(lines, blocks.length ? blocks[0].line - 1 : lines.length);
	if (masthead !== null) {
		const turns = blocks.length
			? ` To import only its interview, paste the interview alone: its first turn (${blocks[0].speakerLabel}:) is on line ${blocks[0].line}.`
			: '';
		throw new TranscriptError(
			'whole_issue',
			`This is a whole bulletin issue (${masthead}, with its contents and several pieces), not one interview's transcript. Whole issues are imported with the issue import, not here.${turns}`
		);
	}

	if (blocks.length === 0) {
		throw new TranscriptError(
			'no_speakers',
			"No speaker labels found. Label each turn like 'BW: …' or 'Anneli Varga: …'."
		);
	}

	const byLabel = new Map<string, { label: string; count: number; firstLine: number }>();
	for (const b of blocks) {
		const entry = byLabel.get(b.speakerLabel);
		if (entry) entry.count++;
		else byLabel.set(b.speakerLabel, { label: b.speakerLabel, count: 1, firstLine: b.line });
	}

	return { leadIn: leadInParas.map(stripItalics), blocks, labels: [...byLabel.values()] };
}

// ---------------------------------------------------------------------------------------------
// Roles

const INTERVIEWER_LABEL_RE = /^(?:q|question|questions|interviewer|int|host|moderator)(?: \d{1,3})?$/i;
const INTERVIEWEE_LABEL_RE = /^(?:a|answer|answers|interviewee|respondent|guest)(?: \d{1,3})?$/i;

/**
 * Suggests a role per label. Labels that name the interviewer ('Q', 'Question', 'Interviewer', ...)
 * are interviewers; if there is none, the first speaker is taken to be the interviewer. Everyone
 * else is an interviewee.
 */
export function suggestRoles(parsed: ParsedTranscript): Record<string, 'interviewer' | 'interviewee'> {
	const roles: Record<string, 'interviewer' | 'interviewee'> = {};
	const labels = parsed.labels.map((l) => l.label);
	const explicit = labels.filter((l) => INTERVIEWER_LABEL_RE.test(l));
	const first = labels.find((l) => !INTERVIEWEE_LABEL_RE.test(l));
	for (const l of labels) {
		const interviewer = explicit.length > 0 ? explicit.includes(l) : l === first;
		roles[l] = interviewer ? 'interviewer' : 'interviewee';
	}
	return roles;
}
