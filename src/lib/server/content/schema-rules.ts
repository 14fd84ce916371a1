import type { MarkType, NodeType } from '@tiptap/pm/model';
import { editorSchema, isAllowedHref } from '../../editor/extensions';
import { safeCitationUrl } from '../../editor/citation';

// What the one editor schema (`editorSchema`, from `editorExtensions`) allows, asked of content that did not
// come through the editor: a client's Yjs update (collab/schema-conformance.ts) and a stored piece being
// rendered (content/document.ts). Derived from the schema, never a hand-kept list.

export const schema = editorSchema;

/** y-prosemirror names the format attribute of an overlapping mark `<mark>--<8-character hash>`. */
const HASHED_MARK_KEY = /(.*)(--[a-zA-Z0-9+/=]{8})$/;

export function markNameOfKey(formatKey: string): string {
	return HASHED_MARK_KEY.exec(formatKey)?.[1] ?? formatKey;
}

/** The node type an element (Y.XmlElement, or a JSON node other than text) of this name stands for, or null. */
export function elementNodeType(name: unknown): NodeType | null {
	if (typeof name !== 'string' || !Object.hasOwn(schema.nodes, name)) return null;
	const type = schema.nodes[name];
	return type.isText || type === schema.topNodeType ? null : type;
}

const attributeNames = new Map<NodeType | MarkType, ReadonlySet<string>>();

/** The attributes a node or mark type has (its spec's, as getSchema built it from the extensions). */
function attributesOf(type: NodeType | MarkType): ReadonlySet<string> {
	let names = attributeNames.get(type);
	if (!names) attributeNames.set(type, (names = new Set(Object.keys(type.spec.attrs ?? {}))));
	return names;
}

export function isNodeAttribute(type: NodeType, key: string): boolean {
	return attributesOf(type).has(key);
}

/** The mark type of a text format key (`bold`, `citation--a1b2c3d4`), or null when the schema has no such mark. */
export function markTypeOfKey(formatKey: string): MarkType | null {
	const name = markNameOfKey(formatKey);
	return Object.hasOwn(schema.marks, name) ? schema.marks[name] : null;
}

/** URL rules of the marks that link somewhere: what the editor itself accepts. */
const LINK_RULES: Record<string, { attr: string; allowed: (url: unknown) => boolean; removeMark: boolean }> = {
	// a citation keeps its source, date and qualifier and loses the link; a plain link is removed
	citation: { attr: 'url', allowed: (url) => safeCitationUrl(url) !== null, removeMark: false },
	link: { attr: 'href', allowed: isAllowedHref, removeMark: true }
};

/** Why a format value does not conform, for logs. */
export type MarkProblem = 'unknown mark' | 'mark not allowed here' | 'unknown mark attribute' | 'unsafe link';

/**
 * A text format value (a mark and its attributes, as y-prosemirror writes it) checked against the schema
 * in a text whose parent is of type `parent` (null: unknown parent, not checked for allowed marks). Null
 * when it conforms (a null value ends a mark and always conforms); otherwise what to keep instead: the
 * value with unknown attributes dropped and an unsafe citation URL set to null, or null to remove the mark
 * (unknown mark, mark the parent forbids, unsafe link).
 */
export function conformMark(parent: NodeType | null, formatKey: string, value: unknown): { keep: Record<string, unknown> | null; problem: MarkProblem } | null {
	if (value === null || value === undefined) return null;
	const type = markTypeOfKey(formatKey);
	if (!type) return { keep: null, problem: 'unknown mark' };
	if (parent && !parent.allowsMarkType(type)) return { keep: null, problem: 'mark not allowed here' };
	const attrs = typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
	const rule = LINK_RULES[type.name];
	if (rule && attrs) {
		const url = attrs[rule.attr];
		if (url !== null && url !== undefined && !rule.allowed(url)) {
			return { keep: rule.removeMark ? null : onlyKnown(type, { ...attrs, [rule.attr]: null }), problem: 'unsafe link' };
		}
	}
	if (!attrs) return { keep: {}, problem: 'unknown mark attribute' };
	for (const key of Object.keys(attrs)) if (!attributesOf(type).has(key)) return { keep: onlyKnown(type, attrs), problem: 'unknown mark attribute' };
	return null;
}

function onlyKnown(type: MarkType, attrs: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(attrs).filter(([key]) => attributesOf(type).has(key)));
}
