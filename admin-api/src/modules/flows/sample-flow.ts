import { appointmentRequest, type FlowDocument } from '@parley/schemas';

export const SAMPLE_FLOW_NAME = 'Sample: appointment request';

/**
 * The draft a new workspace starts with, so that a first-time admin has a working flow to open,
 * test and change instead of an empty list. Built from the appointment request template.
 */
export function sampleFlow(): FlowDocument {
  return { ...structuredClone(appointmentRequest), name: SAMPLE_FLOW_NAME };
}
