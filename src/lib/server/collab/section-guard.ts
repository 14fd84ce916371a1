import * as Y from 'yjs';
import { sectionsOf, writableBlocks, type PieceSection, type SectionBlock } from '../../domain/sections';

// A contributor whose rights on a piece are only some of its sections writes inside those sections and
// nowhere else (docs/protocol.md, "Sections"). Their client's update is applied to the scratch copy (see
// ScratchCopy.tryUpdate) and, in the same transaction, checked here against the document as it was before
// the update: every struct it integrated and every item it deleted is mapped to the top-level block it lies
// in, which must be one of the blocks after an assigned heading up to the section's end (the heading
// itself, the blocks before the first heading and everything outside never). A new top-level block must
// land in such a place (after the heading, up to the section's end). New and changed headings inside a
// section must be subheadings (a deeper level than the section's, so no section ends or grows) with an id
// no other heading has. Anything else refuses the whole update. Unrestricted connections skip all this.

/** Why an update of a section-only contributor is refused. */
export class OutsideSections extends Error {}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yjs type
type AnyType = Y.AbstractType<any>;

const MAX_HEADING_LEVEL = 6;

/**
 * Check the update just applied in `tr` (before anything else changes in it) against `sectionIds`; throws
 * OutsideSections when it writes anywhere else. Cost: one pass over the top-level blocks, plus one step per
 * struct the update brought or deleted (an enclosing block is found once per parent).
 */
export function checkSectionUpdate(tr: Y.Transaction, body: Y.XmlFragment, sectionIds: readonly string[]): void {
	const before = tr.beforeState;
	const isNew = (item: Y.Item) => item.id.clock >= (before.get(item.id.client) ?? 0);
	const deletedNow = new Set<Y.Item>();
	Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
		if (struct instanceof Y.Item) deletedNow.add(struct);
	});
	const visibleBefore = (item: Y.Item) => !isNew(item) && (!item.deleted || deletedNow.has(item));

	// The top-level blocks as they were before the update; for each new top-level item, the gap it landed
	// in (k: between block k-1 and block k of the blocks before).
	const blocks: SectionBlock[] = [];
	const indexOf = new Map<Y.Item, number>();
	const gapOf = new Map<Y.Item, number>();
	for (let item = body._start; item !== null; item = item.right) {
		if (isNew(item)) {
			if (!item.deleted) gapOf.set(item, blocks.length);
		} else if (item.countable && visibleBefore(item)) {
			indexOf.set(item, blocks.length);
			blocks.push(blockBefore(item, isNew, deletedNow));
		}
	}
	const wanted = new Set(sectionIds);
	const mine = sectionsOf(blocks).filter((s) => wanted.has(s.id));
	const writable = writableBlocks(blocks, sectionIds);

	// Every change, mapped to its top-level block.
	const topOfParent = new Map<AnyType, Y.Item | null>();
	const topLevel = (item: Y.Item): Y.Item | null => {
		const path: AnyType[] = [];
		let current = item;
		let found: Y.Item | null | undefined;
		for (;;) {
			const parent = current.parent as AnyType | null;
			if (parent === body) {
				found = current;
				break;
			}
			if (!(parent instanceof Y.AbstractType)) {
				found = null;
				break;
			}
			const known = topOfParent.get(parent);
			if (known !== undefined) {
				found = known;
				break;
			}
			path.push(parent);
			if (parent._item === null) {
				found = null; // another root type: not the piece's text
				break;
			}
			current = parent._item;
		}
		for (const type of path) topOfParent.set(type, found);
		return found;
	};
	const newBlocks = new Set<Y.Item>();
	const changedBlocks = new Set<Y.Item>();
	const check = (item: Y.Item, what: string) => {
		const top = topLevel(item);
		if (!top) throw new OutsideSections(`${what} outside the piece's text`);
		if (top.parentSub !== null) throw new OutsideSections(`${what} on the piece's body itself`);
		if (isNew(top)) {
			if (!top.deleted) newBlocks.add(top);
			return;
		}
		const index = indexOf.get(top);
		if (index === undefined) return; // inside a block deleted before this update: nothing anyone sees changes
		if (!writable.has(index)) throw new OutsideSections(`${what} outside your sections`);
		changedBlocks.add(top);
	};
	for (const [client, structs] of tr.doc.store.clients) {
		const start = before.get(client) ?? 0;
		const last = structs[structs.length - 1];
		if (!last || last.id.clock + last.length <= start) continue;
		for (let i = start === 0 ? 0 : Y.findIndexSS(structs, start); i < structs.length; i++) {
			const struct = structs[i];
			// a new item already deleted (typed and erased, or an attribute value overridden) shows nothing
			if (struct instanceof Y.Item && !struct.deleted) check(struct, 'an insertion');
		}
	}
	for (const item of deletedNow) if (!isNew(item)) check(item, 'a deletion');

	// New blocks: elements, in a place inside one of the sections (after its heading, up to its end).
	const sectionLevelAt = (inside: (s: PieceSection) => boolean): number | null => {
		let level: number | null = null;
		for (const s of mine) if (inside(s) && (level === null || s.level < level)) level = s.level;
		return level;
	};
	const levelFor = new Map<Y.Item, number>();
	for (const top of newBlocks) {
		if (!(top.content instanceof Y.ContentType) || !(top.content.type instanceof Y.XmlElement)) throw new OutsideSections('content that is no block added to the piece');
		const gap = gapOf.get(top) ?? 0;
		const level = sectionLevelAt((s) => s.start < gap && gap <= s.end);
		if (level === null) throw new OutsideSections('a block added outside your sections');
		levelFor.set(top, level);
	}
	for (const top of changedBlocks) {
		const index = indexOf.get(top)!;
		levelFor.set(top, sectionLevelAt((s) => s.start < index && index < s.end)!);
	}

	// New and changed headings: subheadings of the section, with an id of their own (or none).
	let headingIds: Map<string, number> | null = null;
	for (const [top, sectionLevel] of levelFor) {
		if (top.deleted || !(top.content instanceof Y.ContentType)) continue;
		const element = top.content.type;
		if (!(element instanceof Y.XmlElement) || element.nodeName !== 'heading') continue;
		const level = element.getAttribute('level') as unknown;
		if (typeof level !== 'number' || !Number.isInteger(level) || level <= sectionLevel || level > MAX_HEADING_LEVEL) {
			throw new OutsideSections('a heading of your section’s level or above (it would end the section)');
		}
		const id = element.getAttribute('id') as unknown;
		if (id === undefined || id === null) continue;
		if (typeof id !== 'string') throw new OutsideSections('a heading id that is not text');
		headingIds ??= headingIdCounts(body);
		if ((headingIds.get(id) ?? 0) > 1) throw new OutsideSections('a heading id another heading has');
	}
}

/** A top-level block as it was before the transaction (its attributes' earlier values). */
function blockBefore(item: Y.Item, isNew: (item: Y.Item) => boolean, deletedNow: Set<Y.Item>): SectionBlock {
	const type = item.content instanceof Y.ContentType ? item.content.type : null;
	if (!(type instanceof Y.XmlElement)) return { type: '#text' };
	if (type.nodeName !== 'heading') return { type: type.nodeName };
	const level = attributeBefore(type, 'level', isNew, deletedNow);
	const id = attributeBefore(type, 'id', isNew, deletedNow);
	return {
		type: 'heading',
		// a level that is no whole number counts as the highest: it ends every section
		level: typeof level === 'number' && Number.isInteger(level) ? level : 1,
		id: typeof id === 'string' && id !== '' ? id : null
	};
}

/** An element's attribute as it was before the transaction: the newest value that is not new (and was not deleted before it). */
function attributeBefore(element: Y.XmlElement, key: string, isNew: (item: Y.Item) => boolean, deletedNow: Set<Y.Item>): unknown {
	let item: Y.Item | null = element._map.get(key) ?? null;
	while (item !== null && isNew(item)) item = item.left;
	if (item === null || (item.deleted && !deletedNow.has(item))) return undefined;
	const content = item.content.getContent();
	return content[content.length - 1];
}

/** How many top-level headings carry each id, now. */
function headingIdCounts(body: Y.XmlFragment): Map<string, number> {
	const counts = new Map<string, number>();
	for (let item = body._start; item !== null; item = item.right) {
		if (item.deleted || !(item.content instanceof Y.ContentType)) continue;
		const element = item.content.type;
		if (!(element instanceof Y.XmlElement) || element.nodeName !== 'heading') continue;
		const id = element.getAttribute('id') as unknown;
		if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1);
	}
	return counts;
}
