import { NotFound, Unavailable } from '@parley/contract';

/** A message arrived after shutdown began: the sender should retry (another runtime will take it). */
export class ShuttingDownError extends Unavailable {
  constructor() {
    super('The runtime is shutting down; send the message again', undefined, 'shutting_down');
    this.retryAfterSeconds = 1;
  }
}

export class UnknownNumberError extends NotFound {
  constructor(readonly numberId: string) {
    super(`Number ${numberId}`);
  }
}
