import type { FlowDocument } from '../flow/document.js';
import type { AskedAnswer } from '../nodes/node-definition.js';
import { nodeDefinition } from '../nodes/registry.js';
import type { ValidationOptions } from './options.js';
import { error, type Problem } from './problem.js';
import { type ValidationResult, validateFlow } from './validate-flow.js';

/**
 * Rules a flow must meet to be published, on top of validation. They are not part of validation
 * because stored flows that break them keep running as before; only a new version is refused.
 */
export function publishProblems(doc: FlowDocument): Problem[] {
  const problems: Problem[] = [];
  if (doc.nodes.length === 0) {
    problems.push(
      error('/nodes', 'The flow has no blocks yet. Add the blocks of the conversation before publishing.'),
    );
  }
  if (doc.triggers.length === 0) {
    problems.push(
      error(
        '/triggers',
        'Nothing starts this flow. Add a start (which messages begin it) before publishing.',
      ),
    );
  }
  const asked = new Map<string, AskedAnswer>();
  for (const node of doc.nodes) {
    const answer = nodeDefinition(node.type).asks?.(node.config);
    if (answer !== undefined && !asked.has(answer.variable)) asked.set(answer.variable, answer);
  }
  for (const [index, node] of doc.nodes.entries()) {
    problems.push(
      ...(nodeDefinition(node.type).publishCheck?.(node.config, {
        pointer: `/nodes/${index}`,
        askedBy: (variable) => asked.get(variable),
      }) ?? []),
    );
  }
  return problems;
}

/**
 * Validation plus the publish rules: what `parley validate`, the editor and the publish route
 * report, so a flow that says "no problems" can be published and works.
 */
export function validateForPublish(input: unknown, options: ValidationOptions = {}): ValidationResult {
  const result = validateFlow(input, options);
  if (result.document === undefined) return result;
  const blocking = publishProblems(result.document);
  return blocking.length === 0 ? result : { errors: blocking, warnings: result.warnings };
}
