/** A validation finding: where it is (JSON pointer into the Flow Document) and what to do about it. */
export interface Problem {
  pointer: string;
  message: string;
  severity: 'error' | 'warning';
}

export function error(pointer: string, message: string): Problem {
  return { pointer, message, severity: 'error' };
}

export function warning(pointer: string, message: string): Problem {
  return { pointer, message, severity: 'warning' };
}
