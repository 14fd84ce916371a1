// People's names in an archived issue: a byline ("Maren Holt", "A and B"), a title-like line (a piece's
// title, a section heading), and a speaker's label drawn from a name ("Anneli Varga" → AV).
import type { Paragraph } from './text';

/** Words that start or join a title in title case; never part of a person's name. */
const TITLE_WORDS = new Set(
	'a an the of and or but in on at to for from with without by as into over under after before against between about than via vs is are was were be not no new its their his her our who what why how when where which does did do can could will would should may might must has have had this that these those'.split(
		' '
	)
);
const PARTICLES = new Set(['al', 'el', 'bin', 'ibn', 'de', 'da', 'del', 'della', 'di', 'du', 'van', 'von', 'der', 'den', 'la', 'le', 'ter', 'y']);
const HONORIFICS = /^(?:dr|prof|professor|mr|mrs|ms|mx|sir|dame|gen|col|maj|capt|amb|ambassador|rev|sheikh)\.?$/i;
const NAME_WORD_RE = /^(?:(?:al|el)-)?\p{Lu}[\p{L}\p{M}'’.-]*$/u;
const INITIAL_RE = /^\p{Lu}\.$/u;

/** Whether `text` reads as one person's name: two to five capitalised words (particles and initials allowed). */
export function isPersonName(text: string): boolean {
	const words = text.trim().split(/\s+/);
	if (words.length < 2 || words.length > 5 || text.length > 60) return false;
	let capitalised = 0;
	for (const w of words) {
		if (PARTICLES.has(w)) continue;
		if (TITLE_WORDS.has(w.toLowerCase().replace(/[.,]$/, ''))) return false;
		if (!NAME_WORD_RE.test(w) && !INITIAL_RE.test(w)) return false;
		if (/^\p{Lu}+$/u.test(w) && w.length > 3) return false; // "BRIEFS", "NOTES": shouting, not a name
		capitalised++;
	}
	return capitalised >= 2;
}

/** The names of a byline ("Maren Holt", "A, B and C", "A & B"), or null when it is no byline. */
export function bylineNames(p: Paragraph | string | undefined): string[] | null {
	if (p === undefined) return null;
	const text = typeof p === 'string' ? p : p.lines.length === 1 ? p.text : null;
	if (!text || text.length > 160 || /[.;:!?]$/.test(text) && !/\b\p{Lu}\.$/u.test(text)) return null;
	const names = text
		.replace(/^by\s+/i, '')
		.split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*/)
		.map((n) => n.trim())
		.filter(Boolean);
	return names.length > 0 && names.every(isPersonName) ? [...new Set(names)] : null;
}

/** "Dr. Anneli Varga" → "Anneli Varga": the name without its honorific. */
export function withoutHonorific(name: string): string {
	const words = name.trim().split(/\s+/);
	while (words.length > 2 && HONORIFICS.test(words[0])) words.shift();
	return words.join(' ');
}

/** The initials a label is drawn from: "Basin Watch" → "BW", "Anneli Varga" → "AV". */
export function initialsOf(name: string): string {
	return withoutHonorific(name)
		.split(/[\s-]+/)
		.filter((w) => /^\p{Lu}/u.test(w))
		.map((w) => w[0])
		.join('');
}

/**
 * Whether a paragraph can be a title or a heading: one to three lines, not too long, starting with a
 * capital (or a quote or digit), not ending a sentence (a question mark may end a title), no citation.
 */
export function isTitleLike(p: Paragraph, maxWords = 24): boolean {
	if (p.lines.length > 3 || p.text.length > 200) return false;
	const words = p.text.split(' ');
	if (words.length > maxWords) return false;
	if (!/^["“'‘]?[\p{Lu}\d]/u.test(p.text)) return false;
	if (/\]\(|^\[\d+\]/.test(p.text)) return false;
	const end = p.text.replace(/["”'’*)]+$/, '');
	return !/[.,;:!]$/.test(end);
}
