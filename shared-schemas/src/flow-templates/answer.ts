import type { QuestionConfig } from '../nodes/question/index.js';

/**
 * A question's answer schema: any JSON Schema keywords beside the required `type` (the generated
 * type names only `type`, the schema allows the rest).
 */
export function answer(schema: QuestionConfig['answer'] & Record<string, unknown>): QuestionConfig['answer'] {
  return schema;
}
