import {
  CONDITION_OP_WORDS,
  type ConditionItem,
  type ConditionOp,
  type ConditionRule,
} from '@parley/schemas';
import { Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { get, useFormContext } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { nextId } from '@/core/ids';
import { type FlowVariable, operatorsFor } from '@/core/variables/flow-variables';
import { useSettingsContext } from '../../settings/form-context';
import { type FieldSpec, fieldId } from '../../settings/schema-form';
import { useFlowVariables } from '../../settings/use-flow-variables';
import { FieldShell } from '../../settings/widgets/FieldShell';
import { ChoiceChecklist, ValueList } from './RuleValueLists';

interface Branch {
  id: string;
  label?: string;
  when: ConditionItem;
}

const NO_VALUE = new Set<ConditionOp>(['is_set', 'is_empty']);
const NUMERIC = new Set<ConditionOp>(['gt', 'gte', 'lt', 'lte']);

type Group = { mode: 'all' | 'any'; rules: ConditionRule[] };

/** A branch's rules when they form one flat group (the editor's shape); null for nested groups. */
function flatGroup(when: ConditionItem): Group | null {
  const isRule = (item: ConditionItem): item is ConditionRule => 'var' in item;
  if (isRule(when)) return { mode: 'all', rules: [when] };
  const [mode, items] = 'all' in when ? (['all', when.all] as const) : (['any', when.any] as const);
  return items.every(isRule) ? { mode, rules: items as ConditionRule[] } : null;
}

function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function parseValue(op: ConditionOp, text: string): unknown {
  if (NO_VALUE.has(op)) return undefined;
  if (op === 'in')
    return text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  const trimmed = text.trim();
  if (NUMERIC.has(op) && trimmed !== '' && !Number.isNaN(Number(trimmed))) return Number(trimmed);
  return text;
}

function withOp(rule: ConditionRule, op: ConditionOp): ConditionRule {
  const { value, ...rest } = rule;
  if (NO_VALUE.has(op)) return { ...rest, op };
  return { ...rest, op, value: parseValue(op, valueText(value)) };
}

/** The value of a rule as typed (lists and numbers are parsed, but the text stays as written). */
function RuleValueInput({
  label,
  rule,
  onChange,
}: {
  label: string;
  rule: ConditionRule;
  onChange: (value: unknown) => void;
}) {
  const [text, setText] = useState(() => valueText(rule.value));
  return (
    <Input
      className="h-8 text-xs"
      aria-label={label}
      placeholder="value"
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        onChange(parseValue(rule.op, event.target.value));
      }}
    />
  );
}

const CHOICE_OPS = new Set<ConditionOp>(['eq', 'neq', 'contains']);

/** A rule's value picked from the question's choices, by label; the rule stores the choice's value. */
function ChoiceValueSelect({
  label,
  rule,
  variable,
  onChange,
}: {
  label: string;
  rule: ConditionRule;
  variable: FlowVariable;
  onChange: (value: unknown) => void;
}) {
  const choices = variable.question?.choices ?? [];
  const current = choices.find((choice) => String(choice.value) === String(rule.value));
  return (
    <Select
      className="h-8 text-xs"
      aria-label={label}
      value={current === undefined ? undefined : String(current.value)}
      placeholder="Pick one of the choices"
      onValueChange={(picked) => onChange(choices.find((choice) => String(choice.value) === picked)?.value)}
      options={choices.map((choice) => ({ value: String(choice.value), label: choice.label }))}
    />
  );
}

/** Branches of a condition: each a list of rules joined by “all” or “any”, checked top to bottom. */
export function BranchesWidget({ spec }: { spec: FieldSpec }) {
  const { watch, formState } = useFormContext();
  const { nodeId, patch, readOnly } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const branches = (watch('branches') as Branch[] | undefined) ?? [];
  const commit = (next: Branch[]) => patch({ branches: next }, 'branches');
  const editBranch = (index: number, branch: Branch) =>
    commit(branches.map((b, i) => (i === index ? branch : b)));
  const errorAt = (path: string) =>
    (get(formState.errors, path) as { message?: string } | undefined)?.message;
  const variables = useFlowVariables();
  const variablesList = `${id}-variables`;

  return (
    <FieldShell
      id={id}
      title={spec.title}
      help={`${spec.help ?? ''} If none holds, the flow follows “Else”.`.trim()}
      group
    >
      <datalist id={variablesList}>
        {variables.map((variable) => (
          <option key={variable.name} value={variable.name} label={`${variable.kind} · ${variable.from}`} />
        ))}
      </datalist>
      {branches.map((branch, index) => {
        const group = flatGroup(branch.when);
        const prefix = `${id}-${branch.id}`;
        return (
          <div key={branch.id} className="rounded-lg border bg-muted/40 p-3">
            <div className="flex items-center gap-2">
              <label htmlFor={`${prefix}-label`} className="sr-only">
                Name of branch {index + 1}
              </label>
              <Input
                id={`${prefix}-label`}
                value={branch.label ?? ''}
                placeholder={`Branch ${index + 1}`}
                onChange={(event) => {
                  const { label: _old, ...rest } = branch;
                  editBranch(
                    index,
                    event.target.value === '' ? rest : { ...rest, label: event.target.value },
                  );
                }}
              />
              <Button
                variant="ghost"
                size="icon-sm"
                aria-label={`Remove branch ${index + 1}`}
                disabled={readOnly || branches.length <= 1}
                onClick={() => commit(branches.filter((_, i) => i !== index))}
              >
                <Trash2 aria-hidden />
              </Button>
            </div>
            {group === null ? (
              <p className="mt-2 text-xs text-muted-foreground">
                This branch uses nested rule groups, which this editor shows but does not change. Edit the
                flow file to change them.
              </p>
            ) : (
              <div className="mt-2 flex flex-col gap-2">
                <div className="flex items-center gap-2 text-xs text-muted-foreground">
                  <span id={`${prefix}-mode-label`}>Take this branch when</span>
                  <Select
                    className="h-7 w-24 text-xs"
                    value={group.mode}
                    disabled={readOnly}
                    aria-label={`How the rules of branch ${index + 1} combine`}
                    onValueChange={(mode) =>
                      editBranch(index, {
                        ...branch,
                        when: mode === 'any' ? { any: group.rules } : { all: group.rules },
                      })
                    }
                    options={[
                      { value: 'all', label: 'all hold' },
                      { value: 'any', label: 'any holds' },
                    ]}
                  />
                </div>
                {group.rules.map((rule, r) => {
                  const setRule = (next: ConditionRule) => {
                    const rules = group.rules.map((item, i) => (i === r ? next : item));
                    editBranch(index, {
                      ...branch,
                      when: group.mode === 'any' ? { any: rules } : { all: rules },
                    });
                  };
                  const rulePath = `branches.${index}.when.${group.mode}.${r}`;
                  const variable = variables.find((item) => item.name === rule.var);
                  const operators = operatorsFor(variable);
                  const offered = operators.includes(rule.op) ? operators : [...operators, rule.op];
                  const byChoice = variable?.question?.choices !== undefined && CHOICE_OPS.has(rule.op);
                  const error =
                    errorAt(`${rulePath}.var`) ?? errorAt(`${rulePath}.value`) ?? errorAt(rulePath);
                  return (
                    <div
                      key={`${branch.id}-${r}`}
                      className="flex flex-col gap-1 rounded-md border bg-card p-2"
                    >
                      <div className="flex items-center gap-1.5">
                        <Input
                          className="h-8 text-xs"
                          aria-label={`Variable of rule ${r + 1}, branch ${index + 1}`}
                          placeholder="Pick a variable"
                          list={variablesList}
                          value={rule.var}
                          onChange={(event) => setRule({ ...rule, var: event.target.value })}
                        />
                        <Select
                          className="h-8 w-36 shrink-0 text-xs"
                          value={rule.op}
                          disabled={readOnly}
                          aria-label={`Comparison of rule ${r + 1}, branch ${index + 1}`}
                          onValueChange={(op) => setRule(withOp(rule, op as ConditionOp))}
                          options={offered.map((op) => ({ value: op, label: CONDITION_OP_WORDS[op] }))}
                        />
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          aria-label={`Remove rule ${r + 1} of branch ${index + 1}`}
                          disabled={readOnly || group.rules.length <= 1}
                          onClick={() => {
                            const rules = group.rules.filter((_, i) => i !== r);
                            editBranch(index, {
                              ...branch,
                              when: group.mode === 'any' ? { any: rules } : { all: rules },
                            });
                          }}
                        >
                          <Trash2 aria-hidden />
                        </Button>
                      </div>
                      {variable !== undefined && (
                        <p className="text-[11px] text-muted-foreground">
                          {variable.kind} · {variable.from}
                        </p>
                      )}
                      {rule.op === 'in' && variable?.question?.choices !== undefined && (
                        <ChoiceChecklist
                          label={`Values of rule ${r + 1}, branch ${index + 1}`}
                          choices={variable.question.choices}
                          value={rule.value}
                          onChange={(value) => setRule({ ...rule, value })}
                        />
                      )}
                      {rule.op === 'in' && variable?.question?.choices === undefined && (
                        <ValueList
                          label={`rule ${r + 1}, branch ${index + 1}`}
                          value={rule.value}
                          onChange={(value) => setRule({ ...rule, value })}
                        />
                      )}
                      {byChoice && variable !== undefined && (
                        <ChoiceValueSelect
                          label={`Value of rule ${r + 1}, branch ${index + 1}`}
                          rule={rule}
                          variable={variable}
                          onChange={(value) => setRule({ ...rule, value })}
                        />
                      )}
                      {!NO_VALUE.has(rule.op) && !byChoice && rule.op !== 'in' && (
                        <RuleValueInput
                          key={rule.op}
                          label={`Value of rule ${r + 1}, branch ${index + 1}`}
                          rule={rule}
                          onChange={(value) => setRule({ ...rule, value })}
                        />
                      )}
                      {error && (
                        <p role="alert" className="text-xs text-destructive">
                          {error}
                        </p>
                      )}
                    </div>
                  );
                })}
                <Button
                  variant="ghost"
                  size="sm"
                  className="self-start"
                  disabled={readOnly}
                  onClick={() => {
                    const rules = [...group.rules, { var: '', op: 'eq' as const, value: '' }];
                    editBranch(index, {
                      ...branch,
                      when: group.mode === 'any' ? { any: rules } : { all: rules },
                    });
                  }}
                >
                  <Plus aria-hidden /> Add rule
                </Button>
              </div>
            )}
          </div>
        );
      })}
      <Button
        variant="outline"
        size="sm"
        className="self-start"
        disabled={readOnly}
        onClick={() => {
          const branchId = nextId(
            'b',
            branches.map((branch) => branch.id),
          );
          commit([...branches, { id: branchId, when: { all: [{ var: '', op: 'eq', value: '' }] } }]);
        }}
      >
        <Plus aria-hidden /> Add branch
      </Button>
    </FieldShell>
  );
}
