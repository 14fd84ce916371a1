/**
 * Interview transcript parsing.
 *
 * Turns the plain text of an interview transcript ("BW: question" / "AV: answer", "Speaker 1  00:01:23",
 * "[00:01:23] Name: text", "**BW:** text", ...) into speaker blocks. Pure and dependency-free: no I/O,
 * no DOM, no Node APIs, so it runs the same in the browser and on the server. The parser never
 * interprets markup: HTML or Markdown inside a turn is returned as the literal text it was.
 */
import { formatMiB, MAX_REQUEST_BODY_BYTES } from './limits';

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

export type TranscriptErrorCode = 'empty' | 'binary' | 'too_large' | 'no_speakers';

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

export interface ParticipantMapping {
	[label: string]: { participantId: string; role: 'interviewer' | 'interviewee' };
}

// ---------------------------------------------------------------------------------------------
// Timestamps

/** hh:mm:ss, h:mm:ss or mm:ss, optionally with a fraction (00:01:23.450). */
const TIME = String.raw`(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?`;
/** A whole-string timestamp, optionally wrapped in [] or (). Captures the bare time. */
const TS_ANY_RE = new RegExp(String.raw`^(?:\[(${TIME})\]|\((${TIME})\)|(${TIME}))$`);
const TS_BRACKETED_RE = new RegExp(String.raw`^(?:\[(${TIME})\]|\((${TIME})\))$`);

function validTime(t: string): boolean {
	const parts = t.replace(/[.,]\d+$/, '').split(':');
	// The last two fields are minutes/seconds (or seconds only for the last): both must be < 60.
	const sec = Number(parts[parts.length - 1]);
	const min = Number(parts[parts.length - 2]);
	if (sec > 59) return false;
	if (parts.length === 3 && min > 59) return false;
	return true;
}

function parseTimestamp(token: string, bracketedOnly: boolean): string | null {
	const m = (bracketedOnly ? TS_BRACKETED_RE : TS_ANY_RE).exec(token);
	if (!m) return null;
	const t = m[1] ?? m[2] ?? m[3];
	return t !== undefined && validTime(t) ? t : null;
}

// ---------------------------------------------------------------------------------------------
// Speaker names

/** Words that, followed by a colon at the start of a line, are headings or notes, not speakers. */
const NON_SPEAKER_WORDS = new Set(
	[
		'note', 'notes', 'nb', 'n.b', 'ps', 'p.s', 'pps', 'update', 'updated', 'source', 'sources', "editor's note",
		'editors note', 'editor’s note', 'correction', 'corrections', 'warning', 'caution', 'example', 'examples',
		'summary', 'abstract', 'keywords', 'tags', 'tip', 'important', 'disclaimer', 'todo', 'fixme', 'fyi', 'edit',
		'see', 'see also', 'related', 'references', 'reference', 'bibliography', 'background', 'context',
		'conclusion', 'introduction', 'date', 'time', 'subject', 'to', 'from', 'cc', 'bcc', 're', 'fw', 'fwd',
		'title', 'subtitle', 'author', 'authors', 'by', 'photo', 'image', 'caption', 'credit', 'figure', 'fig',
		'table', 'chart', 'map', 'chapter', 'part', 'section', 'step', 'appendix', 'transcript', 'interview',
		'location', 'place', 'duration', 'recorded', 'translation', 'translated', 'language', 'url', 'link',
		'http', 'https', 'mailto', 'email', 'e-mail', 'tel', 'phone', 'address', 'attention', 'alert', 'info',
		'hint', 'danger', 'question time', 'key points', 'key findings', 'takeaway', 'takeaways', 'bottom line',
		'tl;dr', 'tldr', 'p.p.s', 'addendum', 'postscript', 'epilogue', 'prologue', 'preface', 'foreword'
	].map((w) => w.toLowerCase())
);

/** Words that begin ordinary sentences ("The Nerovians: …", "In short: …") rather than names. */
const SENTENCE_STARTERS = new Set([
	'the', 'an', 'this', 'that', 'these', 'those', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'in', 'on',
	'at', 'for', 'but', 'and', 'or', 'if', 'when', 'as', 'so', 'here', 'there', 'what', 'why', 'how', 'who',
	'where', 'which', 'then', 'thus', 'however', 'also', 'my', 'our', 'his', 'her', 'their', 'its', 'your',
	'with', 'without', 'after', 'before', 'during', 'since', 'because', 'although', 'while', 'all', 'some',
	'most', 'one', 'two', 'three', 'first', 'second', 'third', 'finally', 'meanwhile', 'yes', 'no'
]);

/** Lower-case name particles allowed between capitalised words ("Yusuf Omar al-Hadri", "Greta von der Aue"). */
const PARTICLES = new Set([
	'al', 'el', 'bin', 'ibn', 'bint', 'ben', 'de', 'da', 'das', 'do', 'dos', 'del', 'della', 'di', 'du', 'van',
	'von', 'der', 'den', 'ter', 'ten', 'la', 'le', 'y', 'e', 'zu', 'af', 'av', 'st.'
]);

const INITIALS_RE = /^(?:[A-Z]{1,5}\.?|(?:[A-Z]\.){2,5})$/;
/** A capitalised name word: "Anneli", "Dr.", "O'Dowd", "Jean-Luc", "al-Hadri", "Émile". */
const NAME_WORD_RE = /^(?:(?:al|el|ad|ar|as|at|an|ash|az|ul|bin|ibn)-)?\p{Lu}[\p{L}\p{M}'’.-]*$/u;
const NUMBER_WORD_RE = /^\d{1,3}$/;
/** Words that may be followed by a number in a label: "Speaker 1", "Unknown Speaker 2", "Participant 3". */
const NUMBERED_ROLES = new Set([
	'speaker', 'participant', 'person', 'interviewer', 'interviewee', 'respondent', 'guest', 'host', 'voice',
	'caller', 'panelist', 'panellist', 'moderator', 'witness', 'student', 'member', 'delegate', 'q', 'a',
	'question', 'answer', 'man', 'woman', 'male', 'female', 'unknown', 'subject', 'source', 'official', 'fighter',
	'commander', 'resident', 'officer', 'journalist', 'reporter', 'translator', 'interpreter', 'audience'
]);
const MAX_LABEL_CHARS = 40;
const MAX_NAME_WORDS = 5;

/** Collapse inner whitespace (including nbsp/tabs) to single spaces and trim. */
function collapseSpaces(s: string): string {
	return s.replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * Returns the normalised label if `raw` (the text before the colon, timestamp already removed) is a
 * plausible speaker label, else null. Deliberately conservative.
 */
function speakerName(raw: string): string | null {
	const name = collapseSpaces(raw);
	if (name.length === 0 || name.length > MAX_LABEL_CHARS) return null;
	const lower = name.toLowerCase().replace(/\.$/, '');
	if (NON_SPEAKER_WORDS.has(lower) || NON_SPEAKER_WORDS.has(name.toLowerCase())) return null;

	if (INITIALS_RE.test(name)) {
		// "Q." → "Q"; "A.G." keeps its dots (the dots are the label there).
		return /^[A-Z]{1,5}\.$/.test(name) ? name.slice(0, -1) : name;
	}

	const words = name.split(' ');
	if (words.length > MAX_NAME_WORDS + 2) return null;
	let capitalised = 0;
	for (let i = 0; i < words.length; i++) {
		const w = words[i];
		if (NAME_WORD_RE.test(w)) {
			capitalised++;
			continue;
		}
		if (PARTICLES.has(w) && i > 0) continue;
		// A trailing number after a role word: "Speaker 1", "Participant 12" (but not "March 12").
		if (NUMBER_WORD_RE.test(w) && i === words.length - 1 && i > 0 && NUMBERED_ROLES.has(words[i - 1].toLowerCase())) continue;
		return null;
	}
	if (capitalised === 0 || capitalised > MAX_NAME_WORDS) return null;
	if (words.length > 1 && (SENTENCE_STARTERS.has(words[0].toLowerCase()) || words[0] === 'A')) return null;
	if (words.length > 1 && NON_SPEAKER_WORDS.has(words.slice(0, 2).join(' ').toLowerCase())) return null;
	// A lone capitalised sentence word ("However:", "Yes:") is not a speaker either.
	if (words.length === 1 && SENTENCE_STARTERS.has(lower)) return null;
	// "Speaker 1" style labels must still start with a real word, and a name cannot end with a particle.
	if (PARTICLES.has(words[words.length - 1])) return null;
	return name;
}

// ---------------------------------------------------------------------------------------------
// Label lines

interface LabelMatch {
	label: string;
	timestamp: string | null;
	/** Text after the label on the same line (edges trimmed), possibly empty. */
	rest: string;
}

/**
 * Parses the "head" of a labelled line, i.e. everything before the label's colon:
 * `BW`, `Anneli Varga`, `[00:01:23] Name`, `00:01:23 Name`, `Name [00:01:23]`, `Name (00:01:23)`.
 */
function parseHead(head: string): { label: string; timestamp: string | null } | null {
	if (head.length > 120) return null; // a label (≤ 40 chars) plus a timestamp never gets near this
	const h = collapseSpaces(head);
	if (h.length === 0 || h.length > 70) return null;
	// Timestamp first.
	const sp = h.indexOf(' ');
	if (sp > 0) {
		const ts = parseTimestamp(h.slice(0, sp), false);
		if (ts !== null) {
			const label = speakerName(h.slice(sp + 1));
			return label === null ? null : { label, timestamp: ts };
		}
	}
	// Timestamp last, bracketed: "Name [00:01:23]" (a bare trailing time would clash with "Speaker 1" forms).
	const tail = /^(.*?)\s*([[(][^[\]()]*[\])])$/.exec(h);
	if (tail) {
		const ts = parseTimestamp(tail[2], true);
		if (ts !== null) {
			const label = speakerName(tail[1]);
			return label === null ? null : { label, timestamp: ts };
		}
		return null;
	}
	const label = speakerName(h);
	return label === null ? null : { label, timestamp: null };
}

/** Trims spaces, tabs, nbsp, BOM and other Unicode whitespace at the edges (String#trim: linear, no regex backtracking). */
function trimEdges(s: string): string {
	return s.trim();
}

/** Markdown bold label: `**BW:** text`, `**BW**: text`, `__BW:__ text`, `**[00:01:23] BW:** text`. */
const BOLD_RE = /^(\*\*|__)(.+?)\1(.*)$/;
/**
 * otter.ai style: `Speaker 1  00:01:23` alone on its line, the text on the following lines.
 * Done by hand rather than with a `^(.+?)\s+(time)$` regex, which backtracks quadratically on long
 * runs of spaces.
 */
function matchOtter(s: string): { label: string; timestamp: string } | null {
	if (s.length > 80) return null;
	let k = s.length - 1;
	while (k >= 0 && !/[\s\u00a0]/.test(s.charAt(k))) k--;
	if (k < 1) return null;
	const ts = parseTimestamp(s.slice(k + 1), false);
	if (ts === null) return null;
	const label = speakerName(s.slice(0, k));
	return label === null ? null : { label, timestamp: ts };
}

function matchLabel(line: string): LabelMatch | null {
	const s = trimEdges(line);
	if (s.length === 0) return null;

	const bold = BOLD_RE.exec(s);
	if (bold) {
		const inner = bold[2];
		const after = bold[3];
		let head: string | null = null;
		let rest = '';
		if (/:\s*$/.test(inner)) {
			head = inner.replace(/:\s*$/, '');
			rest = after;
		} else if (/^\s*:/.test(after)) {
			head = inner;
			rest = after.replace(/^\s*:/, '');
		} else {
			// `**Speaker 1** 00:01:23` / `**Speaker 1  00:01:23**` on its own line.
			const otter = matchOtter(collapseSpaces(inner + after));
			if (otter) return { ...otter, rest: '' };
		}
		if (head !== null) {
			const parsed = parseHead(head);
			if (parsed) return { ...parsed, rest: trimEdges(rest) };
		}
		// Bold text that is not a label (e.g. a bold sentence) falls through to the other forms.
	}

	const otter = matchOtter(s);
	if (otter) return { ...otter, rest: '' };

	// The head may itself contain colons (timestamps), so try every colon that is followed by
	// whitespace or the end of the line, shortest head first.
	for (let i = s.indexOf(':'); i !== -1 && i <= 70; i = s.indexOf(':', i + 1)) {
		const next = s.charAt(i + 1);
		if (next !== '' && !/[\s\u00a0]/.test(next)) continue;
		const parsed = parseHead(s.slice(0, i));
		if (parsed) return { ...parsed, rest: trimEdges(s.slice(i + 1)) };
	}
	// "Q. What …" / "A. I …" (print-interview style, no colon). Only Q and A, and not "A. B. Kerr".
	const qa = /^([QA])\.(?:[\s\u00a0]+(.*))?$/.exec(s);
	if (qa && !/^\p{Lu}\.(?:\s|$)/u.test(qa[2] ?? '')) return { label: qa[1], timestamp: null, rest: trimEdges(qa[2] ?? '') };
	return null;
}

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

function looksBinary(s: string): boolean {
	if (s.indexOf('\u0000') !== -1) return true;
	let bad = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		// C0 controls other than tab, LF, VT, FF, CR; DEL; C1 controls; the replacement character.
		if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d) ||
			(c >= 0x7f && c <= 0x9f) || c === 0xfffd) bad++;
	}
	return bad > s.length * 0.1;
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

export function parseTranscript(raw: string): ParsedTranscript {
	if (typeof raw !== 'string') throw new TranscriptError('empty', 'The transcript is empty.');
	const size = utf8ByteLengthExceeds(raw, MAX_TRANSCRIPT_BYTES);
	if (size.exceeds) {
		throw new TranscriptError(
			'too_large',
			`The transcript is too large. The limit is ${formatMiB(MAX_TRANSCRIPT_BYTES)} (${MAX_TRANSCRIPT_BYTES.toLocaleString('en-US')} bytes) of text.`
		);
	}
	const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
	if (trimEdges(text).length === 0) throw new TranscriptError('empty', 'The transcript is empty.');
	if (looksBinary(text)) {
		throw new TranscriptError('binary', 'This looks like a binary file, not a text transcript.');
	}

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
