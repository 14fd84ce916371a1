import StarterKit from '@tiptap/starter-kit';
import { Extension, getSchema, type Extensions } from '@tiptap/core';
import UniqueID from '@tiptap/extension-unique-id';
import { Participants, ParticipantNode, LeadIn, QaBlock, ignoreRemote } from './interview';
import { Citation } from './citation';
import { Endnote } from './endnote';
import { ALLOWED_LINK_PROTOCOLS, isLinkUrl } from '../domain/links';

/** A link's href the document keeps: an http(s) or mailto URL (domain/links.ts), or `#`. */
export function isAllowedHref(href: unknown): href is string {
	return isLinkUrl(href) || href === '#';
}

/**
 * A heading's id (what a section assignment names) is also its HTML `id`, in the editor and the HTML export,
 * so `#<id>` links to the section (My assignments does); only an id of letters, digits, `-` and `_` (as the
 * editor and the server make them).
 */
const HeadingAnchors = Extension.create({
	name: 'headingAnchors',
	addGlobalAttributes: () => [
		{
			types: ['heading'],
			attributes: {
				id: { default: null, renderHTML: (attrs) => (typeof attrs.id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(attrs.id) ? { id: attrs.id } : {}) }
			}
		}
	]
});

/**
 * The one list of editor extensions (nodes, marks, attributes). Used by the browser editor, the server
 * (rendering, templates, import and export) and the tests. Collaboration extensions are added by the
 * browser on top: they carry no schema.
 */
export const editorExtensions: Extensions = [
	StarterKit.configure({
		undoRedo: false, // Collaboration brings Yjs undo
		link: {
			openOnClick: false,
			autolink: true,
			protocols: ALLOWED_LINK_PROTOCOLS,
			isAllowedUri: (url) => isAllowedHref(url)
		},
		heading: { levels: [2, 3] }
	}),
	Participants,
	ParticipantNode,
	LeadIn,
	QaBlock,
	Citation,
	Endnote,
	// Stable ids for Q&A blocks, endnotes and headings, so projections, comments, imports, the Notes panel and
	// section assignments (a heading's id names its section) can point at them; a pasted copy gets a fresh
	// one, a heading written by a client with an id keeps it. (Endnote ids written by another client are kept
	// unique by the endnote's own plugin: see endnote.ts; headings stored without one get one when the server
	// loads the piece: collab/load-repairs.ts.)
	UniqueID.configure({ types: ['qaBlock', 'endnote', 'heading'], attributeName: 'id', filterTransaction: ignoreRemote }),
	HeadingAnchors
];

export const editorSchema = getSchema(editorExtensions);
