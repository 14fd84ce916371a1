// Counting words as a word processor does (Google Docs' "Word count"): runs of characters between
// white space, em dashes and en dashes that hold at least one letter or digit. A hyphenated word is one
// word ("cross-border"), a number is a word ("2,400"), a lone dash or bullet is none.

const SEPARATORS = /[\s\u2013\u2014]+/u;
const WORDLIKE = /[\p{L}\p{N}]/u;

/** The number of words in `text`. */
export function countWords(text: string): number {
	let words = 0;
	for (const token of text.split(SEPARATORS)) if (WORDLIKE.test(token)) words++;
	return words;
}
