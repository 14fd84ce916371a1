// Due dates are calendar days in the publication's time zone (GALLEY_TIMEZONE, default UTC): a piece due on
// 12 May is late from the start of 13 May there, wherever its writer is. Shared by the server (board, "My
// assignments", reminders) and the browser (which shows what the server computed).
import { TZDate } from '@date-fns/tz';
// date-fns by function: its index loads all of its ~300 modules in the server (at every start).
import { addDays } from 'date-fns/addDays';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { isLocked, type ReviewState } from './pieces';

/** The calendar day `now` falls on in `timeZone`, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
	return format(new TZDate(now, timeZone), 'yyyy-MM-dd');
}

/** The instant a due day ends in `timeZone`: the next midnight there (23 or 25 hours later across a DST change). */
export function endOfDueDay(dueOn: string, timeZone: string): Date {
	const [y, m, d] = dueOn.split('-').map(Number);
	return new Date(addDays(new TZDate(y, m - 1, d, timeZone), 1).getTime());
}

/** Late: past its due day in the publication's time zone and not yet approved (or published). */
export function isLate(dueOn: string | null, reviewState: ReviewState, timeZone: string, now: Date = new Date()): boolean {
	if (!dueOn || isLocked(reviewState)) return false;
	return now.getTime() >= endOfDueDay(dueOn, timeZone).getTime();
}

/**
 * isLate for many pieces at once: `today` is todayIn(timeZone, now), computed once (a due day has ended
 * exactly when today in the zone is a later day; YYYY-MM-DD texts compare as the days do).
 */
export function isLateOn(dueOn: string | null, reviewState: ReviewState, today: string): boolean {
	return dueOn !== null && !isLocked(reviewState) && dueOn < today;
}

/** Due within the next 24 hours (and not yet late). */
export function isDueSoon(dueOn: string | null, timeZone: string, now: Date = new Date()): boolean {
	if (!dueOn) return false;
	const left = endOfDueDay(dueOn, timeZone).getTime() - now.getTime();
	return left > 0 && left <= 24 * 60 * 60 * 1000;
}

/** Whole calendar days from today (in the zone) to the due day: 0 today, negative when past. */
export function daysUntilDue(dueOn: string, timeZone: string, now: Date = new Date()): number {
	return differenceInCalendarDays(parseISO(dueOn), parseISO(todayIn(timeZone, now)));
}

/** Whether `timeZone` is an IANA zone this runtime knows ("Europe/Berlin", "UTC"). */
export function isTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone });
		return true;
	} catch {
		return false;
	}
}
