import { isMultiChoice } from '@parley/schemas';
import { parseAnswer, type Reply } from './answers/parse-answer.js';
import { countryOfPhone } from './answers/parse-phone.js';
import { defaultRetryText } from './answers/retry-text.js';
import { DEFAULT_MAX_ATTEMPTS } from './compile-flow.js';
import type { Conversation, Wait } from './state.js';
import { failConversation, renderIn, send, type Turn, targetOf } from './turn.js';
import { walkNewTurn } from './walk.js';

/** Handles a reply to the question the conversation waits on: store and go on, retry, or give up. */
export function answerQuestion(
  turn: Turn,
  conversation: Conversation,
  wait: Extract<Wait, { kind: 'answer' }>,
  reply: Reply,
): void {
  const node = turn.flow.index.nodeById.get(wait.nodeId);
  const validate = turn.flow.answerValidators.get(wait.nodeId);
  if (node?.type !== 'question' || validate === undefined) {
    failConversation(turn, conversation, `waiting on ${wait.nodeId}, which is not a question`);
    return;
  }
  const config = node.config;
  const { locale, timeZone, phoneCountryFromContact } = turn.flow.settings;
  const defaultCountry =
    (phoneCountryFromContact === true ? countryOfPhone(turn.state.contact.phone) : undefined) ??
    turn.flow.settings.defaultCountry;
  const parsed = parseAnswer(config, reply, validate, { defaultCountry, locale, timeZone, now: turn.now });
  if (parsed.kind === 'valid') {
    conversation.variables[config.variable] = parsed.value;
    turn.effects.push({
      type: 'answer_saved',
      conversationId: conversation.id,
      nodeId: node.id,
      variable: config.variable,
      value: parsed.value,
    });
    const choiceTarget =
      parsed.choice !== undefined && !isMultiChoice(config)
        ? targetOf(turn.flow, node.id, parsed.choice.id)
        : null;
    walkNewTurn(turn, conversation, choiceTarget ?? targetOf(turn.flow, node.id, 'next'));
    return;
  }
  if (parsed.kind === 'skip') {
    walkNewTurn(turn, conversation, targetOf(turn.flow, node.id, 'next'));
    return;
  }
  const attempts = wait.attempts + 1;
  if (attempts < (config.retry?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
    conversation.wait = { ...wait, attempts };
    // The choices go out again, so the contact can pick instead of guessing how to write one.
    send(
      turn,
      conversation,
      'retry',
      renderIn(
        turn,
        conversation,
        config.retry?.message ?? defaultRetryText(config, { ...turn.flow.settings, defaultCountry }),
      ),
      config.choices === undefined ? {} : { choices: config.choices, render: config.render ?? 'list' },
    );
    return;
  }
  const invalidTarget = targetOf(turn.flow, node.id, 'invalid');
  if (invalidTarget !== null) {
    walkNewTurn(turn, conversation, invalidTarget);
  } else {
    failConversation(turn, conversation, `no valid answer to ${node.id} after ${attempts} attempts`);
  }
}
