import { compileAnswerSchema, isMultiChoice, nodeName, renderTemplate } from '@parley/schemas';
import type { ValidateFunction } from 'ajv';
import { parseAnswer } from '../answers/parse-answer.js';
import { countryOfPhone } from '../answers/parse-phone.js';
import { defaultRetryText } from '../answers/retry-text.js';
import { DEFAULT_MAX_ATTEMPTS } from '../compile-flow.js';
import { addNote, wentOnBy } from '../notes.js';
import { renderIn, scopeOf, send, targetOf } from '../turn.js';
import type { NodeExecutor, NodeOf } from './node-executor.js';

export interface QuestionWait {
  kind: 'answer';
  nodeId: string;
  attempts: number;
}

/** Answer validators compiled once per question config (a flow version's nodes are never edited). */
const validators = new WeakMap<NodeOf<'question'>['config'], ValidateFunction | null>();

function validatorOf(node: NodeOf<'question'>): ValidateFunction | null {
  let validate = validators.get(node.config);
  if (validate === undefined) {
    const compiled = compileAnswerSchema(node.config.answer);
    validate = compiled.ok ? compiled.validate : null;
    validators.set(node.config, validate);
  }
  return validate;
}

/** Asks the question, then handles the reply: store and go on, retry, or give up. */
export const questionExecutor: NodeExecutor<'question', QuestionWait> = {
  run: (node, conversation, turn) => {
    const { prompt, choices, render } = node.config;
    const text = renderTemplate(prompt, scopeOf(turn, conversation));
    send(
      turn,
      conversation,
      'prompt',
      text,
      choices === undefined ? {} : { choices, render: render ?? 'list' },
    );
    return { kind: 'wait', wait: { kind: 'answer', nodeId: node.id, attempts: 0 } };
  },
  resume: {
    idle: true,
    onReply: (node, conversation, wait, reply, turn) => {
      const validate = validatorOf(node);
      if (validate === null)
        return { kind: 'fail', reason: `the answer settings of ${node.id} are not valid` };
      const config = node.config;
      const { locale, timeZone, phoneCountryFromContact } = turn.flow.settings;
      const defaultCountry =
        (phoneCountryFromContact === true ? countryOfPhone(turn.state.contact.phone) : undefined) ??
        turn.flow.settings.defaultCountry;
      const parsed = parseAnswer(config, reply, validate, {
        defaultCountry,
        locale,
        timeZone,
        now: turn.now,
      });
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
        return { kind: 'continue', nodeId: choiceTarget ?? targetOf(turn.flow, node.id, 'next') };
      }
      if (parsed.kind === 'skip') return { kind: 'continue', nodeId: targetOf(turn.flow, node.id, 'next') };
      const attempts = wait.attempts + 1;
      const maxAttempts = config.retry?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      const refused = `${nodeName(node)} did not accept ${reply.text === undefined ? 'the answer' : `the answer “${reply.text}”`}`;
      if (attempts < maxAttempts) {
        addNote(
          turn,
          'answer_refused',
          node,
          `${refused}, so its retry message was sent (try ${attempts + 1} of ${maxAttempts}).`,
        );
        // The choices go out again, so the contact can pick instead of guessing how to write one; flows
        // from before locale-aware reading (neither locale nor time zone) keep their retries as they were.
        const repeat = config.choices !== undefined && (locale !== undefined || timeZone !== undefined);
        send(
          turn,
          conversation,
          'retry',
          renderIn(
            turn,
            conversation,
            config.retry?.message ??
              defaultRetryText(config, { ...turn.flow.settings, defaultCountry, now: turn.now }, parsed),
          ),
          repeat ? { choices: config.choices, render: config.render ?? 'list' } : {},
        );
        return { kind: 'wait', wait: { ...wait, attempts } };
      }
      const invalidTarget = targetOf(turn.flow, node.id, 'invalid');
      const tries = attempts === 1 ? '1 try' : `${attempts} tries`;
      if (invalidTarget === null) {
        addNote(
          turn,
          'ended_with_fallback',
          node,
          `${refused} after ${tries}, and its “Invalid” outcome is not connected, so the conversation ended with the fallback message.`,
        );
      } else {
        addNote(
          turn,
          'answer_refused',
          node,
          `${refused} after ${tries}. ${wentOnBy(node, 'invalid', true)}`,
        );
      }
      return invalidTarget === null
        ? { kind: 'fail', reason: `no valid answer to ${node.id} after ${attempts} attempts` }
        : { kind: 'continue', nodeId: invalidTarget };
    },
  },
};
