import { eq } from 'drizzle-orm';
import type { JSONContent } from '@tiptap/core';
import type { Database } from '../db/client';
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { contributors, users } from '../db/schema';
import { createAssignment } from './assignments';
import { createAccount, findUserByEmail } from './accounts';
import { createPiece, setPieceAuthors } from './pieces';
import { bioFromText } from '../queries/contributors';
import { DEMO_ASSIGNMENTS, DEMO_ISSUE, DEMO_PIECES, DEMO_PEOPLE, DEMO_SECTIONS } from './demo-content';
import { createIssue } from './issues';
import { placePiece } from './placing';
import { getBoard } from '../queries/issues';
import { todayIn } from '../../domain/due-dates';
import { parseTranscript } from '../../domain/transcript';
import { interviewContent } from '../../editor/transcript-import';
import { participantsNodeJSON } from '../../editor/participants';
import type { Logger } from '../log';

/** An interview document from a transcript in the bulletin's print form (lead-in, then `BW:` / `AV:` turns). */
function demoInterview(source: string): JSONContent {
	const { participants, leadIn, blocks } = interviewContent(parseTranscript(source), [], {
		BW: { name: DEMO_ISSUE.publication, role: 'interviewer' },
		AV: { name: 'Anneli Varga', role: 'interviewee' }
	});
	return { type: 'doc', content: [participantsNodeJSON(participants), ...(leadIn ? [leadIn] : []), ...blocks] };
}

/** Plain text, with Markdown's backslash escapes (`\$`, `\*`) read as the characters they escape. */
const plain = (text: string): JSONContent => ({ type: 'text', text: text.replace(/\\([\\`*_{}[\]()#+\-.!$])/g, '$1') });

const CITATION_ITEM = /\[([^\]]+)\]\(([^)\s]*)\)(?: \[([^\]]+)\])?, ([^;()]+)/g;
const CITATION_GROUP = /\((\[[^\]]+\]\([^)\s]*\)(?: \[[^\]]+\])?, [^;()]+(?:; \[[^\]]+\]\([^)\s]*\)(?: \[[^\]]+\])?, [^;()]+)*)\)/g;

/**
 * Inline text in the bulletin's print form to editor content: `([Varesh Daily](#), March 14)` becomes a
 * citation, `[n]` an endnote (with the note's text from `notes`), `[text](url)` a link, `*text*` italic,
 * and a backslash-escaped character (`\$40 million`) the character itself.
 */
function inline(text: string, notes: string[] = []): JSONContent[] {
	const out: JSONContent[] = [];
	const re = new RegExp(`${CITATION_GROUP.source}|\\s?\\[(\\d{1,3})\\](?!\\()|\\[([^\\]]+)\\]\\(([^)\\s]+)\\)|\\*([^*]+)\\*`, 'g');
	let last = 0;
	for (const m of text.matchAll(re)) {
		if (m.index > last) out.push(plain(text.slice(last, m.index)));
		if (m[1]) {
			for (const c of m[1].matchAll(CITATION_ITEM)) {
				const url = c[2] && c[2] !== '#' ? c[2] : null;
				out.push({ type: 'text', text: c[1], marks: [{ type: 'citation', attrs: { sourceId: null, source: c[1], url, date: c[4].trim(), qualifier: c[3] ?? null } }] });
			}
		} else if (m[2]) {
			if (m[0].startsWith(' ')) out.push({ type: 'text', text: ' ' });
			const note = notes[Number(m[2]) - 1];
			out.push({ type: 'endnote', attrs: { id: `n-demo-${m[2]}` }, ...(note ? { content: [{ type: 'text', text: note }] } : {}) });
		} else if (m[3]) out.push({ type: 'text', text: m[3], marks: [{ type: 'link', attrs: { href: m[4] } }] });
		else out.push({ type: 'text', text: m[5], marks: [{ type: 'italic' }] });
		last = m.index + m[0].length;
	}
	if (last < text.length) out.push(plain(text.slice(last)));
	return out;
}

/** Paragraphs separated by blank lines; a line starting with `## ` is a section heading; `BW:`-style labels are bold. */
export function demoDocument(source: string): JSONContent {
	// A trailing "Notes" section becomes the endnotes' text.
	const [bodyText, notesText] = source.split(/\n\s*Notes\s*\n/);
	const notes = (notesText ?? '')
		.split(/\n\s*\n/)
		.map((n) => n.trim().replace(/^\[\d+\]\s*/, ''))
		.filter(Boolean);
	const blocks = bodyText.trim().split(/\n\s*\n/);
	return {
		type: 'doc',
		content: blocks.map((block) => {
			const text = block.replace(/\s*\n\s*/g, ' ').trim();
			if (text.startsWith('## ')) return { type: 'heading', attrs: { level: 2 }, content: inline(text.slice(3), notes) };
			const label = /^([A-Z]{1,4}):\s/.exec(text);
			if (label) {
				return { type: 'paragraph', content: [{ type: 'text', text: `${label[1]}:`, marks: [{ type: 'bold' }] }, ...inline(text.slice(label[1].length + 1), notes)] };
			}
			return { type: 'paragraph', content: inline(text, notes) };
		})
	};
}

/** The day `days` after `today` (YYYY-MM-DD). */
const dayAfter = (today: string, days: number) => format(addDays(parseISO(today), days), 'yyyy-MM-dd');

/**
 * The demo's assignments, written straight into the table (one place, to switch to the assignment command
 * once there is one): who works on which piece, by when (relative to `today`), to how many words.
 */
async function assignDemoWork(db: Database, pieceIds: Record<string, string>, userIds: Record<string, string>, editorId: string, today: string) {
	for (const a of DEMO_ASSIGNMENTS) {
		await createAssignment(db, {
			pieceId: pieceIds[a.title],
			userId: userIds[a.email],
			role: a.role,
			sectionId: null,
			dueOn: dayAfter(today, a.dueInDays),
			wordTarget: a.wordTarget,
			assignedBy: editorId
		});
	}
}

/**
 * Demo accounts and the demo issue (Galley's made-up Basin Watch, Volume VII, Issue 12), for `npm run demo`:
 * the issue with its sections (Briefs, Articles, Interview), its pieces placed in order, and work assigned to
 * the contributors with due dates around today (in `timeZone`). Idempotent: run it again and it only prints
 * the credentials. Never called by a plain `npm start`.
 */
export async function seedDemo(db: Database, log: Logger, timeZone = 'UTC'): Promise<void> {
	const editor = DEMO_PEOPLE[0];
	if (!(await findUserByEmail(db, editor.email))) {
		const ids: Record<string, string> = {};
		for (const person of DEMO_PEOPLE) {
			ids[person.email] = await createAccount(db, person);
			await db.update(contributors).set({ affiliation: person.affiliation, bio: bioFromText(person.bio) }).where(eq(contributors.userId, ids[person.email]));
		}
		const today = todayIn(timeZone);
		const sectionTitles = [...new Set(Object.values(DEMO_SECTIONS))];
		const issueId = await createIssue(db, { ...DEMO_ISSUE, date: dayAfter(today, 7), sections: sectionTitles });
		const editorActor = { id: ids[editor.email], email: editor.email, name: editor.name, role: editor.role, color: '', via: 'session' as const };
		const board = (await getBoard(db, editorActor, issueId, timeZone))!;
		const sectionIds = Object.fromEntries(board.sections.map((s) => [s.title, s.id]));
		const pieceIds: Record<string, string> = {};
		for (const piece of DEMO_PIECES) {
			const id = await createPiece(db, {
				kind: piece.kind,
				title: piece.title,
				createdBy: ids[piece.author],
				content: piece.kind === 'interview' ? demoInterview(piece.body) : demoDocument(piece.body)
			});
			pieceIds[piece.title] = id;
			await placePiece(db, id, { issueId, sectionId: sectionIds[DEMO_SECTIONS[piece.kind]] }); // last in its section
			if (piece.kind === 'interview') await setPieceAuthors(db, id, []); // the bulletin prints no bio under its interview
		}
		await assignDemoWork(db, pieceIds, ids, ids[editor.email], today);
		log.info('demo data loaded');
	}
	const rows = await db.select({ email: users.email }).from(users);
	console.log('\nDemo accounts (demo data only; never use these passwords for real work):');
	for (const p of DEMO_PEOPLE) if (rows.some((r) => r.email === p.email)) console.log(`  ${p.role.padEnd(11)} ${p.email}  password: ${p.password}`);
	console.log('');
}
