import { Mark, mergeAttributes } from '@tiptap/core';
import { isLinkUrl } from '../domain/links';

export interface CitationAttrs {
	/** The source in the library this was cited from (null for a one-off). */
	sourceId: string | null;
	/** The source's name as printed: "Varesh Daily", "Social/@wardenwatch". Copied when citing, so a later library edit does not rewrite this piece. */
	source: string;
	url: string | null;
	/** The date as written: "March 12", "December 3, 2023". */
	date: string;
	/** Printed in brackets after the link: "Nerovia" in `([The Nerovia Courier](#) [Nerovia], February 26)`. */
	qualifier: string | null;
}

declare module '@tiptap/core' {
	interface Commands<ReturnType> {
		citation: {
			/** Insert a citation at the cursor: the source name, carrying the citation mark. */
			insertCitation: (attrs: Omit<CitationAttrs, 'qualifier'> & { qualifier?: string | null }) => ReturnType;
		};
	}
}

/** The citation's link if it is an http(s) or mailto URL, else null (`javascript:`, `data:`, …). */
export function safeCitationUrl(url: unknown): string | null {
	return isLinkUrl(url) ? url : null;
}

/**
 * An inline source citation. The mark covers the source's name; the parentheses, the date and the
 * qualifier are drawn from the attributes (in the editor with CSS, in exports by the print form), so the
 * piece prints exactly `([Varesh Daily](https://…), March 12)`.
 */
export const Citation = Mark.create({
	name: 'citation',
	inclusive: false,
	excludes: 'link',
	addAttributes() {
		return {
			sourceId: { default: null, parseHTML: (el) => el.getAttribute('data-source-id'), renderHTML: (a) => (a.sourceId ? { 'data-source-id': a.sourceId } : {}) },
			source: { default: '', parseHTML: (el) => el.getAttribute('data-source') ?? el.textContent ?? '', renderHTML: (a) => ({ 'data-source': a.source }) },
			// Only http(s) and mailto links are kept, when pasted too: a pasted `javascript:` href must not reach the document.
			url: { default: null, parseHTML: (el) => safeCitationUrl(el.getAttribute('href')), renderHTML: (a) => (safeCitationUrl(a.url) ? { href: a.url } : {}) },
			date: { default: '', parseHTML: (el) => el.getAttribute('data-date') ?? '', renderHTML: (a) => ({ 'data-date': a.date }) },
			qualifier: { default: null, parseHTML: (el) => el.getAttribute('data-qualifier'), renderHTML: (a) => (a.qualifier ? { 'data-qualifier': a.qualifier } : {}) }
		};
	},
	parseHTML() {
		return [{ tag: 'a[data-citation]', priority: 60 }];
	},
	renderHTML({ HTMLAttributes }) {
		return ['a', mergeAttributes(HTMLAttributes, { 'data-citation': '', class: 'citation', rel: 'noopener noreferrer nofollow' }), 0];
	},
	addCommands() {
		return {
			insertCitation:
				(attrs) =>
				({ chain }) =>
					chain()
						.insertContent([
							{ type: 'text', text: attrs.source, marks: [{ type: this.name, attrs: { qualifier: null, ...attrs } }] },
							{ type: 'text', text: ' ' }
						])
						.run()
		};
	}
});
