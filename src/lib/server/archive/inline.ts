// The inline Markdown of an archived paragraph, as the editor schema's JSON: citations
// `([Source](url), date)`, `([Source](#) [qualifier], date)` and several in one pair of parentheses
// separated by `;` become citation marks on the source's name; `[n]` becomes an endnote (its note is filled
// in from the Notes, see pieces.ts); `*…*` italic, `**…**` bold, `[text](url)` a link; a backslash escape is
// the character it escapes. Anything else (a `[with either]` inserted by the editor, a stray `*`) is text.
import type { JSONContent } from '@tiptap/core';
import { isAllowedHref } from '../../editor/extensions';

type Mark = NonNullable<JSONContent['marks']>[number];

export interface ParsedCitation {
	source: string;
	url: string | null;
	qualifier: string | null;
	date: string;
}

const CITATION_ITEM_RE = /^\s*\[((?:\\.|[^\]\\])+)\]\(([^()\s]*)\)(?:\s*\[((?:\\.|[^\]\\])+)\])?(?:\s*,\s*([^]+?))?\s*$/;
const ESCAPABLE = /[\\`*_{}[\]()#+\-.!$<>~|]/;

/** A backslash escape undone: `\$` → `$`. */
export function unescapeMarkdown(text: string): string {
	return text.replace(/\\([\\`*_{}[\]()#+\-.!$<>~|])/g, '$1');
}

/** The index of the `)` closing the `(` at `open` (nested parentheses and escapes counted), or -1. */
function closingParen(text: string, open: number): number {
	let depth = 0;
	for (let i = open; i < text.length; i++) {
		const c = text[i];
		if (c === '\\') {
			i++;
			continue;
		}
		if (c === '(') depth++;
		else if (c === ')' && --depth === 0) return i;
	}
	return -1;
}

/** Split at `;` outside brackets and parentheses. */
function topLevelItems(inner: string): string[] {
	const items: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < inner.length; i++) {
		const c = inner[i];
		if (c === '\\') i++;
		else if (c === '(' || c === '[') depth++;
		else if (c === ')' || c === ']') depth--;
		else if (c === ';' && depth === 0) {
			items.push(inner.slice(start, i));
			start = i + 1;
		}
	}
	items.push(inner.slice(start));
	return items;
}

/** The citations of a parenthesis' inside, or null when it is not (only) citations. */
export function citationGroup(inner: string): ParsedCitation[] | null {
	const out: ParsedCitation[] = [];
	for (const item of topLevelItems(inner)) {
		const m = CITATION_ITEM_RE.exec(item);
		if (!m) return null;
		const url = m[2] && m[2] !== '#' && isAllowedHref(m[2]) ? m[2] : null;
		out.push({ source: unescapeMarkdown(m[1]).trim(), url, qualifier: m[3] ? unescapeMarkdown(m[3]).trim() : null, date: m[4] ? unescapeMarkdown(m[4]).trim() : '' });
	}
	return out.length ? out : null;
}

const sameMarks = (a?: Mark[], b?: Mark[]) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/** Inline JSON of a paragraph's Markdown. `endnote(n)` makes the node standing for a `[n]` reference. */
export function inlineJSON(text: string, endnote: (n: number) => JSONContent | null = () => null): JSONContent[] {
	const out: JSONContent[] = [];
	const push = (t: string, marks: Mark[]) => {
		if (!t) return;
		const last = out[out.length - 1];
		if (last?.type === 'text' && sameMarks(last.marks, marks.length ? marks : undefined) && !marks.some((m) => m.type === 'citation')) last.text += t;
		else out.push(marks.length ? { type: 'text', text: t, marks: [...marks] } : { type: 'text', text: t });
	};
	const walk = (s: string, marks: Mark[]) => {
		let buf = '';
		const flush = () => {
			push(buf, marks);
			buf = '';
		};
		for (let i = 0; i < s.length; i++) {
			const c = s[i];
			const rest = s.slice(i);
			if (c === '\\' && i + 1 < s.length && ESCAPABLE.test(s[i + 1])) {
				buf += s[++i];
				continue;
			}
			if (c === '(' && s[i + 1] === '[') {
				const close = closingParen(s, i);
				const group = close > 0 ? citationGroup(s.slice(i + 1, close)) : null;
				if (group) {
					flush();
					group.forEach((cite, k) => {
						if (k > 0) push(' ', marks);
						push(cite.source, [...marks.filter((m) => m.type !== 'link'), { type: 'citation', attrs: { sourceId: null, source: cite.source, url: cite.url, date: cite.date, qualifier: cite.qualifier } }]);
					});
					i = close;
					continue;
				}
			}
			if (c === '[') {
				const note = /^\[(\d{1,3})\](?!\()/.exec(rest);
				if (note) {
					const node = endnote(Number(note[1]));
					if (node) {
						flush();
						out.push(node);
						i += note[0].length - 1;
						continue;
					}
				}
				const link = /^\[((?:\\.|[^\]\\])+)\]\(([^()\s]*)\)/.exec(rest);
				if (link) {
					flush();
					const href = link[2];
					walk(link[1], isAllowedHref(href) ? [...marks, { type: 'link', attrs: { href } }] : marks);
					i += link[0].length - 1;
					continue;
				}
			}
			if (c === '*' || c === '_') {
				const strong = s.startsWith(c + c, i);
				const delim = strong ? c + c : c;
				const canOpen = i + delim.length < s.length && !/\s/.test(s[i + delim.length]) && (c === '*' || i === 0 || /[\s("“]/.test(s[i - 1]));
				const end = canOpen ? findCloser(s, i + delim.length, delim) : -1;
				if (end > 0) {
					flush();
					walk(s.slice(i + delim.length, end), [...marks, { type: strong ? 'bold' : 'italic' }]);
					i = end + delim.length - 1;
					continue;
				}
			}
			buf += c;
		}
		flush();
	};
	walk(text, []);
	return out;
}

/** Where the closing `delim` of an emphasis opened before `from` is (not after a space), or -1. */
function findCloser(s: string, from: number, delim: string): number {
	for (let j = from; j < s.length; j++) {
		if (s[j] === '\\') {
			j++;
			continue;
		}
		if (s.startsWith(delim, j) && !/\s/.test(s[j - 1]) && (delim.length === 2 || s[j + 1] !== delim[0])) {
			if (delim[0] === '_' && j + 1 < s.length && /[\p{L}\d]/u.test(s[j + 1])) continue;
			return j;
		}
	}
	return -1;
}

/** Inline JSON as an endnote's note may hold it: text, italic only. */
export function noteJSON(text: string): JSONContent[] {
	const out: JSONContent[] = [];
	for (const n of inlineJSON(text)) {
		if (n.type !== 'text' || !n.text) continue;
		const italic = n.marks?.some((m) => m.type === 'italic');
		const last = out[out.length - 1];
		if (last && !!last.marks === !!italic) last.text += n.text;
		else out.push(italic ? { type: 'text', text: n.text, marks: [{ type: 'italic' }] } : { type: 'text', text: n.text });
	}
	return out;
}
