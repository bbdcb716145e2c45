import { type NodeType, nodeDefinition } from '@parley/schemas';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import type { CanvasFlowNode } from '@/core/canvas';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { nodeUi } from '../nodes/registry';
import { SettingsContext, type SettingsFormContext } from './form-context';
import { type FormValues, nodeFieldSpecs, nodeResolver, pruneValues, type SchemaNode } from './schema-form';
import { fieldRoles } from './template-fields';
import { FieldRenderer } from './widgets/FieldRenderer';

/**
 * A block's settings, generated from its type's config schema and settings ui_schema. Every change
 * is checked by ajv against the schema (errors show under the field) and goes straight into the
 * flow, where undo, autosave and the problems list pick it up.
 */
export function NodeSettingsForm({ node, readOnly }: { node: CanvasFlowNode; readOnly: boolean }) {
  const type = node.type as NodeType;
  const config = node.data.config as FormValues;
  const updateConfig = useEditorStore((state) => state.updateConfig);
  const schema = nodeDefinition(type).configSchema as SchemaNode;
  const resolver = useMemo(() => nodeResolver(type), [type]);
  const form = useForm<FormValues>({ defaultValues: structuredClone(config), resolver, mode: 'onChange' });
  const committed = useRef(JSON.stringify(config));

  useEffect(() => {
    const subscription = form.watch((values, { name }) => {
      const next = pruneValues(values, schema) as FormValues;
      const json = JSON.stringify(next);
      if (json === committed.current) return;
      committed.current = json;
      updateConfig(node.id, next, name?.split('.')[0]);
    });
    return () => subscription.unsubscribe();
  }, [form, node.id, schema, updateConfig]);

  // Undo, redo or another widget changed the settings: show them.
  useEffect(() => {
    const json = JSON.stringify(config);
    if (json === committed.current) return;
    committed.current = json;
    form.reset(structuredClone(config));
    void form.trigger();
  }, [config, form]);

  useEffect(() => {
    void form.trigger();
  }, [form]);

  const patch = useCallback<SettingsFormContext['patch']>(
    (changes, field) => {
      const next = pruneValues({ ...form.getValues(), ...changes }, schema) as FormValues;
      committed.current = JSON.stringify(next);
      form.reset(next);
      updateConfig(node.id, next, field);
      void form.trigger();
    },
    [form, node.id, schema, updateConfig],
  );

  const context = useMemo(
    () => ({
      nodeId: node.id,
      readOnly,
      patch,
      widgets: nodeUi(type).widgets ?? {},
      roles: fieldRoles(type),
    }),
    [node.id, readOnly, patch, type],
  );
  const hidden = new Set(nodeUi(type).hiddenFields?.(node.data.config) ?? []);
  const specs = nodeFieldSpecs(type).filter((spec) => !hidden.has(spec.name));
  const rootError = form.formState.errors.root?.message;

  return (
    <FormProvider {...form}>
      <SettingsContext.Provider value={context}>
        <form
          onSubmit={(event) => event.preventDefault()}
          noValidate
          aria-label={`${nodeDefinition(type).title} settings`}
        >
          <fieldset disabled={readOnly} className="flex flex-col gap-5">
            {specs.map((spec) => (
              <FieldRenderer key={spec.path} spec={spec} />
            ))}
            {rootError && (
              <p role="alert" className="text-xs text-destructive">
                {rootError}
              </p>
            )}
          </fieldset>
        </form>
      </SettingsContext.Provider>
    </FormProvider>
  );
}
