import type { FlowDocument } from '../flow/document.js';
import { appointmentRequest } from './appointment-request.js';
import { customerSatisfaction } from './customer-satisfaction.js';
import { leadCapture } from './lead-capture.js';

export interface FlowTemplate {
  id: string;
  title: string;
  description: string;
  document: FlowDocument;
}

/** An empty flow: nothing on the canvas yet; the first block dropped gets a Start card. */
export function blankDocument(name: string): FlowDocument {
  return {
    schemaVersion: 1,
    name,
    settings: { sessionTimeoutMinutes: 30 },
    triggers: [],
    nodes: [],
    edges: [],
  };
}

/** The built-in starting points offered when creating a flow. */
export const FLOW_TEMPLATES: readonly FlowTemplate[] = [
  {
    id: 'lead-capture',
    title: 'Lead capture',
    description: 'Greets, asks name and email (with a retry) and what the lead is interested in.',
    document: leadCapture,
  },
  {
    id: 'appointment-request',
    title: 'Appointment request',
    description: 'Service, preferred day, morning or afternoon, and a phone number to confirm.',
    document: appointmentRequest,
  },
  {
    id: 'customer-satisfaction',
    title: 'Customer satisfaction survey',
    description: 'A 1–5 score, then a different follow-up for happy and unhappy customers.',
    document: customerSatisfaction,
  },
];

/** A template's document under the name the admin chose. */
export function fromTemplate(template: FlowTemplate, name: string): FlowDocument {
  return { ...structuredClone(template.document), name };
}
