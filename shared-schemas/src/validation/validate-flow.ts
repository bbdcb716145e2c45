import type { FlowDocument } from '../flow/document.js';
import { FlowDocumentSchema } from '../flow/document.js';
import { createAjv } from './ajv.js';
import { problemsFromAjv } from './ajv-messages.js';
import { validateGraph } from './graph.js';
import type { ValidationOptions } from './options.js';
import type { Problem } from './problem.js';
import { settingsProblems } from './settings.js';

const validateStructure = createAjv({ strict: false }).compile<FlowDocument>(FlowDocumentSchema);

export interface ValidationResult {
  errors: Problem[];
  warnings: Problem[];
  /** The document, typed, when it has no errors. */
  document?: FlowDocument;
}

function hasArrays(input: unknown): input is FlowDocument {
  if (input === null || typeof input !== 'object') return false;
  const doc = input as Record<string, unknown>;
  return Array.isArray(doc.triggers) && Array.isArray(doc.nodes) && Array.isArray(doc.edges);
}

/** The JSON Schema layer alone: what makes a document unreadable (as opposed to unfinished). */
export function structuralProblems(input: unknown): Problem[] {
  return validateStructure(input) ? [] : problemsFromAjv(validateStructure.errors);
}

/**
 * Validates a Flow Document in two layers: JSON Schema, then graph rules. Parts that fail the
 * schema are skipped by the graph rules, so every remaining problem is still reported at once.
 */
export function validateFlow(input: unknown, options: ValidationOptions = {}): ValidationResult {
  const structural = structuralProblems(input);
  const broken = structural.map((problem) => problem.pointer);
  const isBroken = (pointer: string) => broken.some((at) => at === pointer || at.startsWith(`${pointer}/`));
  const graph = hasArrays(input) ? validateGraph(input, isBroken, options) : [];
  const settings = hasArrays(input) && !isBroken('/settings') ? settingsProblems(input.settings) : [];
  const problems = [...structural, ...graph, ...settings];
  const errors = problems.filter((problem) => problem.severity === 'error');
  const warnings = problems.filter((problem) => problem.severity === 'warning');
  return errors.length === 0 ? { errors, warnings, document: input as FlowDocument } : { errors, warnings };
}
