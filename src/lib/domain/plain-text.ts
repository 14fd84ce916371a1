// What makes a text sent to an import (a transcript, an archived issue) plain text and not a binary file's
// bytes read as text.

/**
 * True when `s` looks like a binary file read as text (an image, a PDF, a Word document): it holds a NUL,
 * or more than a tenth of its characters are control characters other than tab, LF, VT, FF and CR, C1
 * controls, DEL or the replacement character (what invalid UTF-8 decodes to).
 */
export function looksBinary(s: string): boolean {
	if (s.indexOf('\u0000') !== -1) return true;
	let bad = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd) bad++;
	}
	return bad > s.length * 0.1;
}
