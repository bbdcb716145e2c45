import type { AnswerColumn } from '../responses/answer-columns.js';
import type { ResponseRecord } from '../responses/responses.repository.js';
import { maskPhone } from './mask-phone.js';

const MASK = '•••';

/** A name keeps its first letter: `Ann Lee` → `A•••`. */
export function maskName(name: string): string {
  const first = Array.from(name.trim())[0];
  return first === undefined ? '' : `${first}${MASK}`;
}

/** An email keeps the first letter and the top-level domain: `ann@example.com` → `a•••@•••.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return maskName(email);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  return `${maskName(email.slice(0, at))}@${MASK}${dot < 0 ? '' : domain.slice(dot)}`;
}

/**
 * What a masked export hides besides the contact column (masked by the cell writers): the
 * contact's name and every answer whose question asks for a phone number or an email.
 */
export function maskPersonalData(record: ResponseRecord, columns: AnswerColumn[]): ResponseRecord {
  const answers = { ...record.answers };
  for (const { variable, personal } of columns) {
    const value = answers[variable];
    if (typeof value !== 'string' || personal === null) continue;
    answers[variable] = personal === 'email' ? maskEmail(value) : maskPhone(value);
  }
  return {
    ...record,
    contactName: record.contactName === null ? null : maskName(record.contactName),
    answers,
  };
}
