/**
 * Speaker labels in transcript lines: which line starts a turn, and whose ("BW:", "Anneli Varga:",
 * "[00:01:23] Name:", "Speaker 1  00:01:23", "**BW:**", "Q. …"), with its timestamp. Pure and
 * dependency-free, like the parser that uses it (transcript.ts). Deliberately conservative: headings,
 * notes and ordinary sentences followed by a colon are not speakers.
 */

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
export function collapseSpaces(s: string): string {
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

export interface LabelMatch {
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
export function trimEdges(s: string): string {
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

export function matchLabel(line: string): LabelMatch | null {
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
