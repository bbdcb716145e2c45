export { canvasToDocument, documentToCanvas, TRIGGER_OFFSET } from './convert';
export { autoLayout, DEFAULT_SIZE, layoutInput, TRIGGER_SIZE } from './layout';
export * from './model';
export { blockName, describeTrigger, startName } from './names';
export * from './operations';
export { type LocatedProblem, locateProblems, problemsByNode } from './problems';
