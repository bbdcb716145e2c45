import type { QuestionConfig } from '@parley/schemas';
import { useFormContext } from 'react-hook-form';
import { LearnMore } from '@/components/learn-more';
import { Select } from '@/components/ui/select';
import { ANSWER_KINDS, type AnswerKind, answerKindOf, applyAnswerKind } from '@/core/questions/answer-kinds';
import { useSettingsContext } from '../../settings/form-context';
import { type FieldSpec, type FormValues, fieldId } from '../../settings/schema-form';
import { useFieldError } from '../../settings/widgets/basic';
import { FieldShell } from '../../settings/widgets/FieldShell';

/** Picks what kind of answer a question takes; sets the answer schema, choices and form widget together. */
export function AnswerTypeWidget({ spec }: { spec: FieldSpec }) {
  const { getValues, watch } = useFormContext();
  const { nodeId, patch, readOnly } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const ownError = useFieldError(spec.path);
  const typeError = useFieldError(`${spec.path}.type`);
  const error = ownError ?? typeError;
  watch(['answer', 'accept', 'choices', 'ui']);
  const current = getValues() as QuestionConfig;
  const kind = answerKindOf(current);
  return (
    <FieldShell
      id={id}
      title={spec.title}
      help="What the person replies with; the answer is checked before the flow goes on."
      error={error}
      required
    >
      <Select
        id={id}
        value={kind}
        disabled={readOnly}
        onValueChange={(value) => {
          const next = applyAnswerKind(getValues() as QuestionConfig, value as AnswerKind);
          const cleared: FormValues = { accept: undefined, choices: undefined, render: undefined, ...next };
          patch(cleared, 'answer');
        }}
        options={ANSWER_KINDS.map(({ id: value, label }) => ({ value, label }))}
        aria-describedby={`${id}-help`}
      />
      <LearnMore topic="answerTypes" about="answer types" className="self-start" />
    </FieldShell>
  );
}
